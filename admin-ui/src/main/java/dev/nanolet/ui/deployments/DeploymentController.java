package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.platform.PlatformProperties;
import dev.nanolet.ui.platform.WriteCondition;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.ui.web.Flash;
import dev.nanolet.ui.web.Htmx;
import dev.nanolet.wire.Revision;
import java.util.Comparator;
import java.util.List;
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

/** One deployment: spec, live status, replicas, binding health, revisions, events; scale, roll back, delete. */
@Controller
@RequestMapping("/deployments/{ns}/{name}")
class DeploymentController {
    static final String VIEW = "deployments/show";
    static final String DELETE_VIEW = "deployments/delete";
    /** Events shown (newest first): a long-lived deployment has many, and the page polls every second. */
    static final int EVENTS = 20;
    /** Window of the bindings' figures (a page without metrics still renders: they are left out). */
    static final int BINDING_WINDOW_MINUTES = 15;
    private final PlatformClient platform;
    private final PlatformProperties properties;

    DeploymentController(PlatformClient platform, PlatformProperties properties) {
        this.platform = platform;
        this.properties = properties;
    }

    static String path(String ns, String name) {
        return UriComponentsBuilder.fromPath("/deployments/{ns}/{name}").buildAndExpand(ns, name).encode().toUriString();
    }

    @GetMapping
    Mono<String> show(@PathVariable String ns, @PathVariable String name, Model model, ServerWebExchange exchange) {
        return Mono.zip(platform.deployment(ns, name), platform.replicas(ns, name), platform.revisions(ns, name), platform.events(ns, name),
                        platform.metrics(ns, name, BINDING_WINDOW_MINUTES).onErrorReturn(List.of()))
                .map(t -> {
                    model.addAttribute("deployment", t.getT1());
                    model.addAttribute("replicas", t.getT2());
                    model.addAttribute("bindings", BindingHealth.of(t.getT1().spec(), t.getT2(), t.getT5()));
                    model.addAttribute("revisions", t.getT3().stream().sorted(Comparator.comparingInt(Revision::revision).reversed()).toList());
                    model.addAttribute("events", t.getT4().stream().limit(EVENTS).toList());
                    model.addAttribute("eventsTotal", t.getT4().size());
                    model.addAttribute("routeUrl", properties.routeUrl());
                    return Htmx.liveOr(exchange, VIEW);
                });
    }

    /**
     * The scale form (WebFlux binds form fields to objects, not to {@code @RequestParam}); each form carries the
     * deployment's {@code resourceVersion} as the page showed it, sent as {@code If-Match}.
     */
    record ScaleForm(String replicas, String resourceVersion) {}

    /** A rollback button's form. */
    record RollbackForm(Integer revision, String resourceVersion) {}

    /** The delete confirmation's form. */
    record DeleteForm(String resourceVersion) {}

    @PostMapping("/scale")
    Mono<String> scale(@PathVariable String ns, @PathVariable String name, @ModelAttribute ScaleForm form, ServerWebExchange exchange) {
        int n;
        try {
            n = Integer.parseInt(String.valueOf(form.replicas()).strip());
        } catch (NumberFormatException e) {
            return Flash.redirectError(exchange, path(ns, name), "deployment.scale.invalid", String.valueOf(form.replicas()));
        }
        Mono<String> scaled = platform.scale(ns, name, n, WriteCondition.at(form.resourceVersion()))
                .then(Flash.redirect(exchange, path(ns, name), "deployment.scaled", String.valueOf(n)))
                .onErrorResume(PlatformException.Refused.class, e -> e.preconditionFailed()
                        ? Flash.redirectError(exchange, path(ns, name), "deployment.scale.conflict", String.valueOf(n))
                        : Mono.error(e));
        return Flash.unlessRefused(scaled, exchange, path(ns, name), "action.refused");
    }

    @PostMapping("/rollback")
    Mono<String> rollback(@PathVariable String ns, @PathVariable String name, @ModelAttribute RollbackForm form, ServerWebExchange exchange) {
        int revision = form.revision() == null ? 0 : form.revision();
        return Flash.unlessRefused(platform.rollback(ns, name, revision, WriteCondition.at(form.resourceVersion()))
                .then(Flash.redirect(exchange, path(ns, name), "deployment.rolledBack", String.valueOf(revision))), exchange, path(ns, name), "action.refused");
    }

    /** The confirmation, a form that only writes: a token that may not delete in {@code ns} gets the 403 naming the role. */
    @GetMapping("/delete")
    Mono<String> confirmDelete(@PathVariable String ns, @PathVariable String name, Model model, ServerWebExchange exchange) {
        return Permissions.require(exchange, may -> may.deploy(ns), "role deployer in namespace " + ns)
                .then(Mono.defer(() -> platform.deployment(ns, name))).doOnNext(d -> model.addAttribute("deployment", d)).thenReturn(DELETE_VIEW);
    }

    @PostMapping("/delete")
    Mono<String> delete(@PathVariable String ns, @PathVariable String name, @ModelAttribute DeleteForm form, ServerWebExchange exchange) {
        return Flash.unlessRefused(platform.deleteDeployment(ns, name, WriteCondition.at(form.resourceVersion()))
                .then(Flash.redirect(exchange, "/deployments", "deployment.deleted", ns + "/" + name)), exchange, path(ns, name), "action.refused");
    }
}
