package dev.nanolet.ui.secrets;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Flash;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Secrets of one namespace: keys, version and times (platform-api never answers values); create or replace one with
 * write-only values ({@code KEY=value} lines, never shown again); delete one (refused while a deployment uses it).
 */
@Controller
class SecretController {
    static final String VIEW = "secrets/list";
    static final String DEFAULT_NAMESPACE = "default";
    private final PlatformClient platform;

    SecretController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping("/secrets")
    Mono<String> list(@RequestParam(defaultValue = DEFAULT_NAMESPACE) String namespace, Model model) {
        model.addAttribute("namespace", namespace);
        return platform.secrets(namespace).doOnNext(all -> model.addAttribute("secrets", all)).thenReturn(VIEW);
    }

    @PostMapping("/secrets")
    Mono<String> put(ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String namespace = value(form.getFirst("namespace"), DEFAULT_NAMESPACE);
            String name = value(form.getFirst("name"), "");
            Map<String, String> data = parse(form.getFirst("data"));
            return Flash.unlessRefused(platform.putSecret(namespace, name, data)
                            .flatMap(s -> Flash.redirect(exchange, page(namespace), "secret.saved", name + " (version " + s.version() + ")")),
                    exchange, page(namespace), "action.refused");
        });
    }

    @PostMapping("/secrets/{namespace}/{name}/delete")
    Mono<String> delete(@PathVariable String namespace, @PathVariable String name, ServerWebExchange exchange) {
        return Flash.unlessRefused(platform.deleteSecret(namespace, name).then(Flash.redirect(exchange, page(namespace), "secret.deleted", name)),
                exchange, page(namespace), "action.refused");
    }

    /** {@code KEY=value} per line (the first {@code =} splits; blank lines skipped); a line without {@code =} is a key with an empty value. */
    static Map<String, String> parse(String text) {
        Map<String, String> data = new LinkedHashMap<>();
        if (text == null) {
            return data;
        }
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            data.put(eq < 0 ? line.strip() : line.substring(0, eq).strip(), eq < 0 ? "" : line.substring(eq + 1));
        }
        return data;
    }

    static String page(String namespace) {
        return UriComponentsBuilder.fromPath("/secrets").queryParam("namespace", namespace).encode().toUriString();
    }

    private static String value(String s, String otherwise) {
        return s == null || s.isBlank() ? otherwise : s.strip();
    }
}
