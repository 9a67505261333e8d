package dev.nanolet.ui.modules;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Flash;
import dev.nanolet.wire.ModuleInfo;
import java.util.Comparator;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** Uploaded modules: list, detail with imports/exports, delete when no deployment uses them. */
@Controller
class ModuleController {
    static final String LIST_VIEW = "modules/list";
    static final String DETAIL_VIEW = "modules/show";
    private final PlatformClient platform;

    ModuleController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping("/modules")
    Mono<String> list(Model model) {
        return platform.modules()
                .doOnNext(all -> model.addAttribute("modules", all.stream().sorted(Comparator.comparing(ModuleInfo::createdAt,
                        Comparator.nullsLast(Comparator.reverseOrder()))).toList()))
                .thenReturn(LIST_VIEW);
    }

    @GetMapping("/modules/{digest}")
    Mono<String> show(@PathVariable String digest, Model model) {
        return platform.module(digest).doOnNext(m -> model.addAttribute("module", m)).thenReturn(DETAIL_VIEW);
    }

    @PostMapping("/modules/{digest}/delete")
    Mono<String> delete(@PathVariable String digest, ServerWebExchange exchange) {
        return Flash.unlessRefused(platform.deleteModule(digest).then(Flash.redirect(exchange, "/modules", "module.deleted", digest)),
                exchange, detail(digest), "action.refused");
    }

    static String detail(String digest) {
        return UriComponentsBuilder.fromPath("/modules/{digest}").buildAndExpand(digest).encode().toUriString();
    }
}
