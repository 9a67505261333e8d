package dev.nanolet.ui.secrets;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.platform.WriteCondition;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.ui.web.RequestSignIn;
import dev.nanolet.wire.Role;
import dev.nanolet.ui.web.Addresses;
import dev.nanolet.ui.web.Flash;
import dev.nanolet.wire.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Secrets of one namespace: keys, version and times (platform-api never answers values); create one, or replace one chosen
 * in the table, with write-only values ({@code KEY=value} lines, never shown again); delete one (refused while a
 * deployment uses it). A create is {@code If-None-Match: *} and a replace or delete {@code If-Match} the version the page
 * showed, so a secret someone else wrote meanwhile is never overwritten unseen: the save redirects to the page, which shows
 * it as it is now, the form set to replace it at that version (or empty, if it was deleted), never the values (write-only,
 * never sent back to a browser); a redirect, so that reloading that page never offers to post the values again.
 */
@Controller
class SecretController {
    static final String VIEW = "secrets/list";
    static final String DEFAULT_NAMESPACE = Permissions.DEFAULT_NAMESPACE;
    /** The session's attribute naming the secrets whose last save it had refused (412), see {@link #refusedHere}. */
    private static final String REFUSED_SAVES = SecretController.class.getName() + ".refusedSaves";
    private final PlatformClient platform;
    /** Numbers the sending of a save or delete and the recording of a refusal, in the order they happen (see {@link RefusedSaves}). */
    private final AtomicLong order = new AtomicLong();

    SecretController(PlatformClient platform) {
        this.platform = platform;
    }

    /** The form as posted; {@code resourceVersion} is that of the secret it replaces, blank for a create. */
    record SecretForm(String namespace, String name, String data, String resourceVersion) {}

    /** A delete button's form. */
    record DeleteForm(String resourceVersion) {}

    /**
     * The page; with {@code replace}, its form replaces that secret (at the version listed) instead of creating one; with
     * {@code conflict}, after this session's save of that secret was refused (412), it says so.
     */
    @GetMapping("/secrets")
    Mono<String> list(@RequestParam(required = false) String namespace, @RequestParam(required = false) String replace,
            @RequestParam(defaultValue = "false") boolean conflict, Model model, ServerWebExchange exchange) {
        Mono<String> shown = namespace == null || namespace.isBlank() ? home(exchange) : Mono.just(namespace);
        return shown.flatMap(ns -> refusedHere(exchange, conflict && replace != null, ns, replace)
                .flatMap(refused -> render(ns, replace, refused, model)));
    }

    /**
     * Whether the page's {@code conflict} is true: this session's last save of secret {@code name} in {@code namespace} was
     * refused with 412, and it has not saved nor deleted that secret since (a save of another secret, in another tab,
     * changes nothing here). The address alone is a link anyone can send: it must not make the page say that someone else
     * changed or deleted a secret. A reload of the page still says it.
     */
    private static Mono<Boolean> refusedHere(ServerWebExchange exchange, boolean conflict, String namespace, String name) {
        return conflict ? exchange.getSession().map(s -> s.getAttributes().get(REFUSED_SAVES) instanceof RefusedSaves refused
                && refused.has(namespace, name)) : Mono.just(false);
    }

    /**
     * Records the outcome of this session's save of a secret (or its delete), see {@link RefusedSaves}: {@code outcome}
     * makes the new record from the one before (a refusal takes its number of {@link #order} there, as it is recorded). The
     * record is replaced, never changed, and atomically (the session's attributes are a concurrent map), so two tabs' saves at
     * once both count. Nothing is recorded when another token signed in while the save was under way: the outcome is the
     * token's that sent it, and the sign-in forgot that token's refusals ({@link RequestSignIn#stillHeld}).
     */
    private static Mono<Void> remember(ServerWebExchange exchange, UnaryOperator<RefusedSaves> outcome) {
        return exchange.getSession().filter(s -> RequestSignIn.stillHeld(exchange, s)).doOnNext(s -> s.getAttributes().compute(REFUSED_SAVES, (key, old) -> {
            RefusedSaves after = outcome.apply(old instanceof RefusedSaves saves ? saves : RefusedSaves.NONE);
            return after.refusals().isEmpty() ? null : after;
        })).then();
    }

    /**
     * The namespace the page opens on when the address names none: {@code default}, unless the token is granted in
     * namespaces only and none of them is {@code default} (platform-api would refuse it that one): then the first of them.
     */
    private static Mono<String> home(ServerWebExchange exchange) {
        return Permissions.of(exchange).map(may -> may.home(Role.viewer)).defaultIfEmpty(DEFAULT_NAMESPACE);
    }

    @PostMapping("/secrets")
    Mono<String> put(@ModelAttribute SecretForm form, Model model, ServerWebExchange exchange) {
        String namespace = value(form.namespace(), DEFAULT_NAMESPACE);
        String name = value(form.name(), "");
        boolean replace = form.resourceVersion() != null && !form.resourceVersion().isBlank();
        WriteCondition condition = replace ? WriteCondition.at(form.resourceVersion()) : WriteCondition.ABSENT;
        long sent = order.incrementAndGet();
        Mono<String> saved = platform.putSecret(namespace, name, parse(form.data()), condition)
                .flatMap(s -> remember(exchange, saves -> saves.saved(namespace, name, condition, sent, s.resourceVersion())).then(Flash.redirect(exchange, page(namespace), "secret.saved", name + " (version " + s.version() + ")")))
                .onErrorResume(PlatformException.Refused.class, e -> e.preconditionFailed()
                        ? remember(exchange, saves -> saves.refused(namespace, name, e.resourceVersion(), order.incrementAndGet())).thenReturn("redirect:" + conflict(namespace, name))
                        : Mono.error(e));
        return Flash.unlessRefused(saved, exchange, page(namespace), "action.refused");
    }

    @PostMapping("/secrets/{namespace}/{name}/delete")
    Mono<String> delete(@PathVariable String namespace, @PathVariable String name, @ModelAttribute DeleteForm form,
            ServerWebExchange exchange) {
        WriteCondition condition = WriteCondition.at(form.resourceVersion());
        long sent = order.incrementAndGet();
        return Flash.unlessRefused(platform.deleteSecret(namespace, name, condition)
                        .then(remember(exchange, saves -> saves.saved(namespace, name, condition, sent, null)))
                        .then(Flash.redirect(exchange, page(namespace), "secret.deleted", name)), exchange, page(namespace), "action.refused");
    }

    /**
     * The list, and the form: replacing secret {@code name} at its current version when it is one of the list, else an
     * empty create form; with a message when a save of it was just refused (412, {@code conflict}). {@code name} comes from a
     * link, which anyone can send an admin: it only picks a row of the table, it never fills in the form.
     */
    private Mono<String> render(String namespace, String name, boolean conflict, Model model) {
        model.addAttribute("namespace", namespace);
        return platform.secrets(namespace).doOnNext(all -> {
            Optional<Secret> replacing = all.stream().filter(s -> s.name().equals(name)).findFirst();
            model.addAttribute("secrets", all);
            replacing.ifPresent(s -> model.addAttribute("replacing", s));
            if (conflict) {
                model.addAttribute("conflict", replacing.isPresent() ? "secrets.conflict.changed" : "secrets.conflict.gone");
                model.addAttribute("conflictName", name);
            }
        }).thenReturn(VIEW);
    }

    /** {@code KEY=value} per line (the first {@code =} splits; blank lines skipped); a line without {@code =} is a key with an empty value. */
    static Map<String, String> parse(String text) {
        Map<String, String> data = new LinkedHashMap<>();
        if (text == null) {
            return data;
        }
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            data.put(eq < 0 ? line.strip() : line.substring(0, eq).strip(), eq < 0 ? "" : line.substring(eq + 1));
        }
        return data;
    }

    /** The page that says a save of {@code name} was refused, its form set to save it again. */
    private static String conflict(String namespace, String name) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("namespace", namespace);
        query.put("replace", name);
        query.put("conflict", "true");
        return Addresses.of("/secrets", query);
    }

    static String page(String namespace) {
        return Addresses.of("/secrets", "namespace", namespace);
    }

    private static String value(String s, String otherwise) {
        return s == null || s.isBlank() ? otherwise : s.strip();
    }
}
