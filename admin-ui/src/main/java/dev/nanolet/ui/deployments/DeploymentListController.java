package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.NamespaceReads;
import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.Deployment;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Deployments of all namespaces the token reads, filtered by namespace and by text. */
@Controller
class DeploymentListController {
    static final String VIEW = "deployments/list";
    private final PlatformClient platform;

    DeploymentListController(PlatformClient platform) {
        this.platform = platform;
    }

    /**
     * The list; its namespace filter offers every namespace the token may be known to read (see {@link #offered}), and
     * with one chosen, only that namespace's failure to be read is named. A token granted in namespaces has only the
     * chosen one read: the filter does not need the others' deployments. One it may not read is answered the dashboard's
     * 403 naming the role, as every read of the dashboard a token may not make, before anything is asked: platform-api
     * would refuse it, and the page showed "all" chosen over an empty list.
     */
    @GetMapping("/deployments")
    Mono<String> list(@RequestParam(defaultValue = "") String namespace, @RequestParam(defaultValue = "") String q,
                      Model model, ServerWebExchange exchange) {
        model.addAttribute("namespace", namespace);
        model.addAttribute("q", q);
        Mono<Void> allowed = namespace.isBlank() ? Mono.empty()
                : Permissions.require(exchange, may -> may.read(namespace), "role viewer in namespace " + namespace);
        return allowed.then(Permissions.of(exchange)).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(may -> {
            boolean cluster = may.map(Permissions.May::readCluster).orElse(true);
            List<String> granted = may.map(Permissions.May::namespaces).orElse(List.of());
            Mono<NamespaceReads<Deployment>> read = cluster ? platform.deployments(null).map(NamespaceReads::whole)
                    : platform.deploymentsIn(namespace.isBlank() ? granted : granted.stream().filter(namespace::equals).toList());
            return read.map(r -> {
                model.addAttribute("namespaces", offered(r.found(), granted, cluster && !namespace.isBlank() ? namespace : null));
                model.addAttribute("deployments", filter(r.found(), namespace, q));
                model.addAttribute("unreadable", r.unreadable());
                return Htmx.liveOr(exchange, VIEW);
            });
        });
    }

    /**
     * The namespaces the filter offers, sorted: those of the deployments listed, those the token's grants name (platform-api
     * has no list of namespaces, but a token granted in one may read it, even one without deployments or whose read failed),
     * and {@code chosen}, one a cluster-wide viewer chose by the address (null for none), which it may read too.
     */
    static List<String> offered(List<Deployment> deployments, List<String> granted, String chosen) {
        SortedSet<String> all = new TreeSet<>(granted);
        deployments.forEach(d -> all.add(d.namespace()));
        if (chosen != null) {
            all.add(chosen);
        }
        return List.copyOf(all);
    }

    static List<Deployment> filter(List<Deployment> all, String namespace, String text) {
        String needle = text.strip().toLowerCase(Locale.ROOT);
        return all.stream()
                .filter(d -> namespace.isBlank() || namespace.equals(d.namespace()))
                .filter(d -> needle.isEmpty() || haystack(d).contains(needle))
                .sorted(Comparator.comparing(Deployment::namespace).thenComparing(Deployment::name))
                .toList();
    }

    private static String haystack(Deployment d) {
        String route = d.spec() != null && d.spec().servesHttp() ? d.spec().http().path() : "";
        String module = d.spec() == null ? "" : d.spec().module();
        return String.join(" ", d.namespace(), d.name(), route, module).toLowerCase(Locale.ROOT);
    }
}
