package dev.nanolet.ui.nodes;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.NodeInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Nodes: labels, capacity in use, lease age, Ready, and the replicas bound to each — one
 * {@code GET /nodes/{name}/replicas} per node (a few at a time).
 */
@Controller
class NodeController {
    static final String VIEW = "nodes";
    private static final int CONCURRENT_CALLS = 4;
    private final PlatformClient platform;

    NodeController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping("/nodes")
    Mono<String> nodes(Model model, ServerWebExchange exchange) {
        return platform.nodes().flatMap(nodes -> Flux.fromIterable(nodes)
                .flatMap(n -> platform.nodeReplicas(n.name()).map(replicas -> Map.entry(n.name(), replicas)), CONCURRENT_CALLS)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(byNode -> {
                    model.addAttribute("nodes", nodes.stream().sorted(Comparator.comparing(NodeInfo::name)).toList());
                    model.addAttribute("replicasByNode", byNode);
                    return Htmx.liveOr(exchange, VIEW);
                }));
    }
}
