package dev.nanolet.ui.nodes;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.platform.WriteCondition;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.wire.Problem;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import dev.nanolet.ui.web.Flash;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Nodes: labels, capacity in use, lease age, Ready, and the replicas bound to each — one
 * {@code GET /nodes/{name}/replicas} per node (a few at a time) — and a warning while evictions are paused. One node's
 * page holds the admin's actions: change its address, set its restricted labels, delete it (which revokes its credential).
 */
@Controller
class NodeController {
    static final String VIEW = "nodes";
    static final String DETAIL_VIEW = "nodes/show";
    private static final int CONCURRENT_CALLS = 4;
    private final PlatformClient platform;
    private final EvictionPause pause;

    NodeController(PlatformClient platform, EvictionPause pause) {
        this.platform = platform;
        this.pause = pause;
    }

    @GetMapping("/nodes")
    Mono<String> nodes(Model model, ServerWebExchange exchange) {
        return readCluster(exchange).then(Mono.zip(platform.nodes(), pause.now())).flatMap(read -> Flux.fromIterable(read.getT1())
                .flatMap(n -> platform.nodeReplicas(n.name()).map(replicas -> Map.entry(n.name(), replicas)), CONCURRENT_CALLS)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(byNode -> {
                    model.addAttribute("nodes", read.getT1().stream().sorted(Comparator.comparing(NodeInfo::name)).toList());
                    model.addAttribute("replicasByNode", byNode);
                    model.addAttribute("paused", read.getT2().orElse(null));
                    return Htmx.liveOr(exchange, VIEW);
                }));
    }

    @GetMapping("/nodes/{name}")
    Mono<String> show(@PathVariable String name, Model model, ServerWebExchange exchange) {
        return readCluster(exchange).then(Mono.defer(() -> platform.node(name))).map(n -> render(n, Typed.NOTHING, model));
    }

    /** Nodes are read by a cluster-wide viewer only: anyone else gets the dashboard's 403 naming that, not platform-api's. */
    private static Mono<Void> readCluster(ServerWebExchange exchange) {
        return Permissions.require(exchange, Permissions.May::readCluster, "role viewer cluster-wide");
    }

    /**
     * The node page's two forms as posted; {@code resourceVersion} is the node's as the page showed it, sent as
     * {@code If-Match} so that a change made since (by another admin, or the node's registration) is not overwritten.
     */
    record LabelsForm(String labels, String resourceVersion) {}

    /** See {@link LabelsForm}. */
    record AddressForm(String address, String resourceVersion) {}

    /** See {@link LabelsForm}. */
    record DeleteForm(String resourceVersion) {}

    /**
     * What a refused form gets back on the page: what was typed in it, and why it was refused.
     *
     * @param labels the labels box as typed; null: the node's
     * @param address the address as typed; null: the node's
     * @param labelErrors platform-api's 422 by field
     * @param conflict whether the node changed since the page showed it (412)
     */
    record Typed(String labels, String address, Map<String, String> labelErrors, boolean conflict) {
        static final Typed NOTHING = new Typed(null, null, Map.of(), false);
    }

    /**
     * All restricted labels at once; platform-api's 422 comes back next to the form with what was typed, and so does a
     * 412 (someone changed the node since the page showed it): with the node as it is now above, nothing written.
     */
    @PostMapping("/nodes/{name}/labels")
    Mono<String> relabel(@PathVariable String name, @ModelAttribute LabelsForm form, ServerWebExchange exchange, Model model) {
        String typed = form.labels() == null ? "" : form.labels();
        Map<String, String> labels = RestrictedLabels.parse(typed);
        Mono<String> saved = platform.relabelNode(name, labels, WriteCondition.at(form.resourceVersion()))
                .then(Flash.redirect(exchange, detail(name), "node.relabeled", String.valueOf(labels.size())))
                .onErrorResume(PlatformException.Refused.class, e -> e.status() == 422 || e.preconditionFailed()
                        ? again(name, new Typed(typed, null, e.status() == 422 ? labelErrors(e.problem()) : Map.of(), e.preconditionFailed()), model)
                        : Mono.error(e));
        return Flash.unlessRefused(saved, exchange, detail(name), "action.refused");
    }

    /** The address; a 412 shows the page again with the address typed kept, any other refusal comes back as a flash. */
    @PostMapping("/nodes/{name}/address")
    Mono<String> move(@PathVariable String name, @ModelAttribute AddressForm form, ServerWebExchange exchange, Model model) {
        String address = form.address() == null ? "" : form.address().strip();
        Mono<String> moved = platform.moveNode(name, address, WriteCondition.at(form.resourceVersion()))
                .then(Flash.redirect(exchange, detail(name), "node.moved", address))
                .onErrorResume(PlatformException.Refused.class, e -> e.preconditionFailed()
                        ? again(name, new Typed(null, address, Map.of(), true), model)
                        : Mono.error(e));
        return Flash.unlessRefused(moved, exchange, detail(name), "action.refused");
    }

    /** The page again after a refused save: the node as it is now (and its version in the forms), what was typed kept. */
    private Mono<String> again(String name, Typed typed, Model model) {
        return platform.node(name).map(n -> render(n, typed, model));
    }

    private static String render(NodeInfo node, Typed typed, Model model) {
        Map<String, String> restricted = RestrictedLabels.of(node.labels());
        model.addAttribute("node", node);
        model.addAttribute("restricted", restricted);
        model.addAttribute("labelsText", typed.labels() == null ? RestrictedLabels.lines(restricted) : typed.labels());
        model.addAttribute("addressText", typed.address() == null ? node.address() : typed.address());
        model.addAttribute("labelErrors", typed.labelErrors());
        model.addAttribute("conflict", typed.conflict());
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

    /**
     * Deletes the node at the version the page showed; a 412 (it changed since) deletes nothing and comes back to its page,
     * which shows it as it is now, with a flash that says so: nothing was typed to keep.
     */
    @PostMapping("/nodes/{name}/delete")
    Mono<String> delete(@PathVariable String name, @ModelAttribute DeleteForm form, ServerWebExchange exchange) {
        return Flash.unlessRefused(platform.deleteNode(name, WriteCondition.at(form.resourceVersion()))
                        .then(Flash.redirect(exchange, "/nodes", "node.deleted", name)), exchange, detail(name), "action.refused");
    }

    /** The node's page, its name encoded whole (a {@code ;}, {@code /} or {@code ?} in it is the name's, not the path's). */
    static String detail(String name) {
        return UriComponentsBuilder.fromPath("/nodes/{name}").encode().buildAndExpand(name).toUriString();
    }
}
