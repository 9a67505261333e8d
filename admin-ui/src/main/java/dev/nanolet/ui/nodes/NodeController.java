package dev.nanolet.ui.nodes;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.wire.Problem;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import dev.nanolet.ui.web.Flash;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Nodes: labels, capacity in use, lease age, Ready, and the replicas bound to each — one
 * {@code GET /nodes/{name}/replicas} per node (a few at a time). One node's page holds the admin's
 * actions: change its address, set its restricted labels, delete it (which revokes its credential).
 */
@Controller
class NodeController {
    static final String VIEW = "nodes";
    static final String DETAIL_VIEW = "nodes/show";
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

    @GetMapping("/nodes/{name}")
    Mono<String> show(@PathVariable String name, Model model) {
        return platform.node(name).map(n -> render(n, null, Map.of(), model));
    }

    /** All restricted labels at once; platform-api's 422 comes back next to the form with what was typed. */
    @PostMapping("/nodes/{name}/labels")
    Mono<String> relabel(@PathVariable String name, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            String typed = form.getFirst("labels") == null ? "" : form.getFirst("labels");
            Map<String, String> labels = RestrictedLabels.parse(typed);
            Mono<String> saved = platform.relabelNode(name, labels)
                    .then(Flash.redirect(exchange, detail(name), "node.relabeled", String.valueOf(labels.size())))
                    .onErrorResume(PlatformException.Refused.class, e -> e.status() == 422
                            ? platform.node(name).map(n -> render(n, typed, labelErrors(e.problem()), model))
                            : Mono.error(e));
            return Flash.unlessRefused(saved, exchange, detail(name), "action.refused");
        });
    }

    private static String render(NodeInfo node, String typedLabels, Map<String, String> labelErrors, Model model) {
        Map<String, String> restricted = RestrictedLabels.of(node.labels());
        model.addAttribute("node", node);
        model.addAttribute("restricted", restricted);
        model.addAttribute("labelsText", typedLabels == null ? RestrictedLabels.lines(restricted) : typedLabels);
        model.addAttribute("labelErrors", labelErrors);
        return DETAIL_VIEW;
    }

    /** platform-api's messages by field ({@code labels.<key>}, or the detail when it names none). */
    private static Map<String, String> labelErrors(Problem problem) {
        Map<String, String> errors = new LinkedHashMap<>();
        problem.errors().forEach(e -> errors.put(e.field() == null ? "labels" : e.field(), e.message()));
        if (errors.isEmpty()) {
            errors.put("labels", problem.detail() == null ? problem.title() : problem.detail());
        }
        return errors;
    }

    @PostMapping("/nodes/{name}/address")
    Mono<String> move(@PathVariable String name, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String address = form.getFirst("address") == null ? "" : form.getFirst("address").strip();
            return Flash.unlessRefused(platform.moveNode(name, address).then(Flash.redirect(exchange, detail(name), "node.moved", address)),
                    exchange, detail(name), "action.refused");
        });
    }

    @PostMapping("/nodes/{name}/delete")
    Mono<String> delete(@PathVariable String name, ServerWebExchange exchange) {
        return Flash.unlessRefused(platform.deleteNode(name).then(Flash.redirect(exchange, "/nodes", "node.deleted", name)),
                exchange, detail(name), "action.refused");
    }

    static String detail(String name) {
        return UriComponentsBuilder.fromPath("/nodes/{name}").buildAndExpand(name).encode().toUriString();
    }
}
