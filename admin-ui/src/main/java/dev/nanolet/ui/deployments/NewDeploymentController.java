package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.platform.WriteCondition;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.ui.web.Permissions.May;
import dev.nanolet.ui.web.Addresses;
import dev.nanolet.ui.web.Flash;
import dev.nanolet.wire.ModuleInfo;
import dev.nanolet.wire.Role;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.MessageSource;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * New deployment: upload a module (or pick one), fill the spec, apply it (post/redirect/get); and the same form to edit one.
 * A new one's apply only creates ({@code If-None-Match: *}): a name that is taken is refused on the form, never a silent
 * replace of that deployment. An edit applies only to the version it was opened at ({@code If-Match}): a change someone
 * else made meanwhile is refused on the form, with everything typed kept, never overwritten; the form then shows the
 * deployment as it is now and carries its version, so that applying again replaces that change.
 */
@Controller
class NewDeploymentController {
    static final String VIEW = "deployments/new";
    private static final Set<Integer> REFUSALS_SHOWN_ON_THE_FORM = Set.of(400, 404, 409, 412, 422);
    private final PlatformClient platform;
    private final MessageSource messages;

    NewDeploymentController(PlatformClient platform, MessageSource messages) {
        this.platform = platform;
        this.messages = messages;
    }

    @GetMapping("/deployments/new")
    Mono<String> form(@RequestParam(required = false) String module, Model model, ServerWebExchange exchange) {
        return Permissions.require(exchange, May::deployAnywhere, "role deployer in a namespace").then(Permissions.of(exchange))
                .flatMap(may -> render(DeploymentForm.blank(may.home(Role.deployer), module), Map.of(), model));
    }

    @GetMapping("/deployments/{ns}/{name}/edit")
    Mono<String> edit(@PathVariable String ns, @PathVariable String name, Model model, ServerWebExchange exchange) {
        return Permissions.require(exchange, may -> may.deploy(ns), "role deployer in namespace " + ns)
                .then(Mono.defer(() -> platform.deployment(ns, name))).flatMap(d -> render(DeploymentForm.of(d), Map.of(), model));
    }

    @PostMapping("/deployments/new/upload")
    Mono<String> upload(@RequestPart("file") Mono<FilePart> file, ServerWebExchange exchange) {
        Mono<String> uploaded = file.flatMap(f -> UploadName.of(f.filename()).problem()
                .map(problem -> f.content().then(Flash.redirectError(exchange, "/deployments/new", "module.upload.name", problem)))
                .orElseGet(() -> platform.uploadModule(f.filename(), f.content())
                        .flatMap(m -> Flash.redirect(exchange, newFormFor(m.digest()), "module.uploaded", m.digest()))))
                .switchIfEmpty(Mono.defer(() -> Flash.redirectError(exchange, "/deployments/new", "module.upload.empty", "")));
        return Flash.unlessRefused(uploaded, exchange, "/deployments/new", "module.upload.rejected");
    }

    /** Imports a module from an OCI registry by reference (the platform pulls it from a registry its operator allowed). */
    @PostMapping("/deployments/new/import")
    Mono<String> importImage(ServerWebExchange exchange) {
        Mono<String> imported = exchange.getFormData().map(f -> f.getFirst("image") == null ? "" : f.getFirst("image").trim())
                .flatMap(image -> image.isEmpty()
                        ? Flash.redirectError(exchange, "/deployments/new", "module.import.empty", "")
                        : platform.importModule(image).flatMap(m -> Flash.redirect(exchange, newFormFor(m.digest()), "module.imported", image)));
        return Flash.unlessRefused(imported, exchange, "/deployments/new", "module.import.rejected");
    }

    @PostMapping("/deployments")
    Mono<String> create(Model model, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(data -> apply(DeploymentForm.posted(data), model, exchange));
    }

    private Mono<String> apply(DeploymentForm form, Model model, ServerWebExchange exchange) {
        FormErrors errors = new FormErrors();
        var spec = form.toSpec(errors);
        if (form.name() == null || form.name().isBlank()) {
            errors.reject("name", "form.required");
        }
        if (!errors.isEmpty()) {
            return render(form, errors.asMap(messages, locale(exchange)), model);
        }
        String ns = form.namespace() == null || form.namespace().isBlank() ? "default" : form.namespace().strip();
        String name = form.name().strip();
        WriteCondition condition = form.editing() ? WriteCondition.at(form.resourceVersion()) : WriteCondition.ABSENT;
        return (form.editing() ? platform.deployment(ns, name).map(current -> form.over(spec, current, errors)) : Mono.just(spec))
                .flatMap(s -> errors.isEmpty()
                        ? platform.apply(ns, name, s, condition)
                                .then(Flash.redirect(exchange, DeploymentController.path(ns, name), "deployment.applied", ns + "/" + name))
                        : render(form, errors.asMap(messages, locale(exchange)), model))
                .onErrorResume(PlatformException.Refused.class, e -> {
                    if (!REFUSALS_SHOWN_ON_THE_FORM.contains(e.status())) {
                        return Mono.error(e);
                    }
                    Map<String, String> shown = refusal(e, form, ns + "/" + name).asMap(messages, locale(exchange));
                    return form.editing() && e.preconditionFailed() ? changed(form, ns, name, shown, model, exchange) : render(form, shown, model);
                });
    }

    /**
     * The form again after an edit's 412, as the node forms do: the deployment as it is now above it, what was typed kept,
     * and its current version carried, so that applying again replaces the other change. Deleted meanwhile (404 on that read),
     * the form as sent, saying so: there is no deployment to show nor a version to carry.
     */
    private Mono<String> changed(DeploymentForm form, String ns, String name, Map<String, String> errors, Model model, ServerWebExchange exchange) {
        return platform.deployment(ns, name)
                .flatMap(current -> {
                    model.addAttribute("current", DeploymentForm.of(current));
                    return render(form.at(current.resourceVersion()), errors, model);
                })
                .onErrorResume(PlatformException.Refused.class, gone -> {
                    if (gone.status() != 404) {
                        return Mono.error(gone);
                    }
                    FormErrors deleted = new FormErrors();
                    deleted.reject(FormErrors.GLOBAL, "deployment.gone", ns + "/" + name);
                    return render(form, deleted.asMap(messages, locale(exchange)), model);
                });
    }

    /**
     * A 412 means a deployment of that name exists (a new one) or it changed since the form was opened (an edit); a 404,
     * that the edited one was deleted meanwhile; any other refusal names its fields.
     */
    private static FormErrors refusal(PlatformException.Refused e, DeploymentForm form, String deployment) {
        if (!e.preconditionFailed()) {
            return FormErrors.from(e.problem());
        }
        FormErrors errors = new FormErrors();
        if (form.editing()) {
            errors.reject(FormErrors.GLOBAL, "deployment.changed", deployment);
        } else {
            errors.reject("name", "deployment.exists", deployment);
        }
        return errors;
    }

    private Mono<String> render(DeploymentForm form, Map<String, String> errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        Mono<ModuleInfo> selected = form.module() == null || form.module().isBlank()
                ? Mono.empty()
                : platform.module(form.module()).onErrorResume(PlatformException.Refused.class, e -> Mono.empty());
        return platform.modules().flatMap(modules -> {
            model.addAttribute("modules", modules);
            return selected.doOnNext(m -> model.addAttribute("selected", m)).thenReturn(VIEW);
        });
    }

    private static Locale locale(ServerWebExchange exchange) {
        Locale locale = exchange.getLocaleContext().getLocale();
        return locale == null ? Locale.ROOT : locale;
    }

    private static String newFormFor(String digest) {
        return Addresses.of("/deployments/new", "module", digest);
    }
}
