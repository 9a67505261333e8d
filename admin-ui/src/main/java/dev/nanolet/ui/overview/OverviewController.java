package dev.nanolet.ui.overview;

import dev.nanolet.ui.nodes.EvictionPause;
import dev.nanolet.ui.platform.NamespaceReads;
import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.ui.web.Badges;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.EvictionStatus;
import dev.nanolet.wire.NodeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The overview: nodes Ready/NotReady (and the pause of evictions, as the Nodes page says it), deployments by health, the latest Warning events. */
@Controller
class OverviewController {
    static final String VIEW = "overview";
    static final int WARNINGS = 10;
    private final PlatformClient platform;
    private final Badges badges;
    private final EvictionPause pause;

    OverviewController(PlatformClient platform, Badges badges, EvictionPause pause) {
        this.platform = platform;
        this.badges = badges;
        this.pause = pause;
    }

    /** Nodes and capacity in use across them. */
    record NodeSummary(long ready, long notReady, int instancesUsed, int instances, int memoryUsedMiB, int memoryMiB) {
        static NodeSummary of(List<NodeInfo> nodes) {
            return new NodeSummary(nodes.stream().filter(NodeInfo::ready).count(), nodes.stream().filter(n -> !n.ready()).count(),
                    sum(nodes, n -> n.allocated() == null ? 0 : n.allocated().instances()), sum(nodes, n -> n.capacity() == null ? 0 : n.capacity().instances()),
                    sum(nodes, n -> n.allocated() == null ? 0 : n.allocated().memoryMiB()), sum(nodes, n -> n.capacity() == null ? 0 : n.capacity().memoryMiB()));
        }

        private static int sum(List<NodeInfo> nodes, Function<NodeInfo, Integer> f) {
            return nodes.stream().mapToInt(f::apply).sum();
        }
    }

    /**
     * For a token that is no cluster-wide viewer (granted in some namespaces only), the deployments and the warnings of
     * those namespaces, read namespace by namespace, and in place of the nodes, which platform-api would refuse it, a line
     * saying so. A namespace whose deployments could not be read is named above the rest (once, whether or not its warnings
     * were read); one whose warnings only could not be read is named with the warnings, as its deployments are listed.
     */
    @GetMapping("/")
    Mono<String> overview(Model model, ServerWebExchange exchange) {
        return Permissions.of(exchange).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(may -> {
            boolean cluster = may.map(Permissions.May::readCluster).orElse(true);
            if (!cluster) {
                List<String> namespaces = may.get().namespaces();
                return overview(Mono.just(Optional.empty()), platform.deploymentsIn(namespaces),
                        platform.warningsIn(namespaces, WARNINGS), Mono.just(Optional.empty()), model, exchange);
            }
            return overview(platform.nodes().map(Optional::of), platform.deployments(null).map(NamespaceReads::whole),
                    platform.warnings(WARNINGS).map(NamespaceReads::whole), pause.now(), model, exchange);
        });
    }

    private Mono<String> overview(Mono<Optional<List<NodeInfo>>> nodes, Mono<NamespaceReads<Deployment>> deployments,
            Mono<NamespaceReads<Event>> warnings, Mono<Optional<EvictionStatus>> paused, Model model, ServerWebExchange exchange) {
        return Mono.zip(nodes, deployments, warnings, paused).map(t -> {
            model.addAttribute("nodes", t.getT1().map(NodeSummary::of).orElse(null));
            model.addAttribute("paused", t.getT4().orElse(null));
            model.addAttribute("unreadable", t.getT2().unreadable());
            Map<String, String> warningsUnreadable = new TreeMap<>(t.getT3().unreadable());
            warningsUnreadable.keySet().removeAll(t.getT2().unreadable().keySet());
            model.addAttribute("warningsUnreadable", warningsUnreadable);
            Map<Badges.Health, List<Deployment>> byHealth = t.getT2().found().stream().collect(Collectors.groupingBy(badges::of));
            model.addAttribute("available", byHealth.getOrDefault(Badges.Health.Available, List.of()));
            model.addAttribute("progressing", byHealth.getOrDefault(Badges.Health.Progressing, List.of()));
            model.addAttribute("failing", byHealth.getOrDefault(Badges.Health.Failing, List.of()));
            model.addAttribute("warnings", t.getT3().found());
            return Htmx.liveOr(exchange, VIEW);
        });
    }
}
