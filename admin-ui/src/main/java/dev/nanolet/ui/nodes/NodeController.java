package dev.nanolet.ui.nodes;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Nodes: labels, capacity in use, lease age, Ready, and the replicas bound to each. The API has
 * no per-node replica listing for admins, so the replicas are gathered per deployment (a few
 * calls at a time).
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
        Mono<Map<String, List<Replica>>> byNode = platform.deployments(null)
                .flatMapMany(Flux::fromIterable)
                .flatMap(d -> platform.replicas(d.namespace(), d.name()), CONCURRENT_CALLS)
                .flatMapIterable(list -> list)
                .filter(r -> r.node() != null)
                .collect(Collectors.groupingBy(Replica::node));
        return Mono.zip(platform.nodes(), byNode).map(t -> {
            model.addAttribute("nodes", t.getT1().stream().sorted(Comparator.comparing(NodeInfo::name)).toList());
            model.addAttribute("replicasByNode", t.getT2());
            return Htmx.liveOr(exchange, VIEW);
        });
    }
}
