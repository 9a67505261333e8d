package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.NamespaceReads;
import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.security.Permissions;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.Deployment;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Deployments of all namespaces, filtered by namespace and by text. */
@Controller
class DeploymentListController {
    static final String VIEW = "deployments/list";
    private final PlatformClient platform;

    DeploymentListController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping("/deployments")
    Mono<String> list(@RequestParam(defaultValue = "") String namespace, @RequestParam(defaultValue = "") String q,
                      Model model, ServerWebExchange exchange) {
        model.addAttribute("namespace", namespace);
        model.addAttribute("q", q);
        return Permissions.of(exchange).filter(may -> !may.readCluster()).flatMap(may -> platform.deploymentsIn(may.namespaces()))
                .switchIfEmpty(Mono.defer(() -> platform.deployments(null).map(NamespaceReads::whole))).map(read -> {
            List<Deployment> all = read.found();
            model.addAttribute("namespaces", all.stream().map(Deployment::namespace).distinct().sorted().toList());
            model.addAttribute("deployments", filter(all, namespace, q));
            model.addAttribute("unreadable", read.unreadable());
            return Htmx.liveOr(exchange, VIEW);
        });
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
