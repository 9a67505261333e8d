package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.web.Flash;
import dev.nanolet.ui.web.Problems;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.Revision;
import java.util.Comparator;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** One deployment: spec, live status, replicas, revisions, events; scale, roll back, delete. */
@Controller
@RequestMapping("/deployments/{ns}/{name}")
class DeploymentController {
    static final String VIEW = "deployments/show";
    static final String DELETE_VIEW = "deployments/delete";
    private final PlatformClient platform;

    DeploymentController(PlatformClient platform) {
        this.platform = platform;
    }

    static String path(String ns, String name) {
        return UriComponentsBuilder.fromPath("/deployments/{ns}/{name}").buildAndExpand(ns, name).encode().toUriString();
    }

    @GetMapping
    Mono<String> show(@PathVariable String ns, @PathVariable String name, Model model, ServerWebExchange exchange) {
        return Mono.zip(platform.deployment(ns, name), platform.replicas(ns, name), platform.revisions(ns, name), platform.events(ns, name))
                .map(t -> {
                    model.addAttribute("deployment", t.getT1());
                    model.addAttribute("replicas", t.getT2());
                    model.addAttribute("revisions", t.getT3().stream().sorted(Comparator.comparingInt(Revision::revision).reversed()).toList());
                    model.addAttribute("events", t.getT4());
                    return Htmx.liveOr(exchange, VIEW);
                });
    }

    /** The scale form (WebFlux binds form fields to objects, not to {@code @RequestParam}). */
    record ScaleForm(String replicas) {}

    /** A rollback button's form. */
    record RollbackForm(Integer revision) {}

    @PostMapping("/scale")
    Mono<String> scale(@PathVariable String ns, @PathVariable String name, @ModelAttribute ScaleForm form, ServerWebExchange exchange) {
        int n;
        try {
            n = Integer.parseInt(String.valueOf(form.replicas()).strip());
        } catch (NumberFormatException e) {
            return Flash.redirectError(exchange, path(ns, name), "deployment.scale.invalid", String.valueOf(form.replicas()));
        }
        return refusedAsFlash(platform.scale(ns, name, n)
                .then(Flash.redirect(exchange, path(ns, name), "deployment.scaled", String.valueOf(n))), exchange, path(ns, name));
    }

    @PostMapping("/rollback")
    Mono<String> rollback(@PathVariable String ns, @PathVariable String name, @ModelAttribute RollbackForm form, ServerWebExchange exchange) {
        int revision = form.revision() == null ? 0 : form.revision();
        return refusedAsFlash(platform.rollback(ns, name, revision)
                .then(Flash.redirect(exchange, path(ns, name), "deployment.rolledBack", String.valueOf(revision))), exchange, path(ns, name));
    }

    @GetMapping("/delete")
    Mono<String> confirmDelete(@PathVariable String ns, @PathVariable String name, Model model) {
        return platform.deployment(ns, name).doOnNext(d -> model.addAttribute("deployment", d)).thenReturn(DELETE_VIEW);
    }

    @PostMapping("/delete")
    Mono<String> delete(@PathVariable String ns, @PathVariable String name, ServerWebExchange exchange) {
        return refusedAsFlash(platform.deleteDeployment(ns, name)
                .then(Flash.redirect(exchange, "/deployments", "deployment.deleted", ns + "/" + name)), exchange, path(ns, name));
    }

    /** A 4xx other than 401 for an action becomes a flash message on the deployment page. */
    private static Mono<String> refusedAsFlash(Mono<String> action, ServerWebExchange exchange, String back) {
        return action.onErrorResume(PlatformException.Refused.class, e -> e.status() >= 400 && e.status() < 500 && e.status() != 401
                ? Flash.redirectError(exchange, back, "action.refused", Problems.describe(e.problem()))
                : Mono.error(e));
    }
}
