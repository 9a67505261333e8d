package dev.nanolet.ui.nodes;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.NodeInfo;
import java.util.Comparator;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Nodes: labels, capacity in use, lease age, Ready, replica count. */
@Controller
class NodeController {
    static final String VIEW = "nodes";
    private final PlatformClient platform;

    NodeController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping("/nodes")
    Mono<String> nodes(Model model, ServerWebExchange exchange) {
        return platform.nodes()
                .doOnNext(all -> model.addAttribute("nodes", all.stream().sorted(Comparator.comparing(NodeInfo::name)).toList()))
                .thenReturn(Htmx.liveOr(exchange, VIEW));
    }
}
