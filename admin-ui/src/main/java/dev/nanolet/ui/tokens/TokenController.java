package dev.nanolet.ui.tokens;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.ui.web.Flash;
import dev.nanolet.wire.ApiToken;
import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Role;
import dev.nanolet.wire.TokenRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * API tokens for admins: the tokens the signed-in token manages, a form that creates one with
 * roles per namespace (its secret shown on the answer page, once: platform-api keeps only its hash,
 * and it is never put in the session; a reload of that page, which posts the form again, creates nothing:
 * {@link CreateForms}), and revocation. platform-api decides who may do what.
 */
@Controller
class TokenController {
    static final String VIEW = "tokens";
    static final String FORM_ID = "formId";
    private final PlatformClient platform;
    private final RandomGenerator random = new SecureRandom();

    TokenController(PlatformClient platform) {
        this.platform = platform;
    }

    /** For an admin somewhere, as platform-api answers {@code GET /tokens}: anyone else gets the dashboard's 403 naming the role. */
    @GetMapping("/tokens")
    Mono<String> list(Model model, ServerWebExchange exchange) {
        return Permissions.require(exchange, Permissions.May::adminSomewhere, "role admin in a namespace")
                .then(exchange.getSession()).map(CreateForms::of).flatMap(forms -> page(model, forms));
    }

    /**
     * Creates a token from an open create form ({@link CreateForms}): a form already sent (the reload of the page
     * that showed the secret) creates nothing and says what it did (409), a form id the session never gave out is
     * refused (400); both with a new, empty form.
     */
    @PostMapping("/tokens")
    Mono<String> create(Model model, ServerWebExchange exchange) {
        return Mono.zip(exchange.getFormData(), exchange.getSession().map(CreateForms::of))
                .flatMap(posted -> create(posted.getT1(), posted.getT2(), model, exchange));
    }

    private Mono<String> create(MultiValueMap<String, String> form, CreateForms forms, Model model, ServerWebExchange exchange) {
        String formId = value(form, FORM_ID);
        String name = value(form, "name");
        CreateForms.Form before = formId.isEmpty() ? null : forms.send(formId, name);
        if (!(before instanceof CreateForms.Form.Open)) {
            return notSent(before, model, forms, exchange);
        }
        model.addAttribute("name", name);
        model.addAttribute("grants", value(form, "grants"));
        model.addAttribute("expires", value(form, "expiresInSeconds"));
        List<Grant> grants;
        Long expires;
        try {
            grants = grants(value(form, "grants"));
            expires = value(form, "expiresInSeconds").isEmpty() ? null : Long.valueOf(value(form, "expiresInSeconds"));
        } catch (IllegalArgumentException e) {
            forms.reopen(formId);
            model.addAttribute("error", e instanceof NumberFormatException ? "expires in: must be a whole number of seconds"
                    : e.getMessage());
            return page(model, forms);
        }
        Mono<Void> created = platform.createToken(new TokenRequest(name, grants, expires))
                .doOnNext(issued -> {
                    forms.created(formId, issued.info().name(), issued.info().id().toString());
                    model.addAttribute("issued", issued);
                    model.addAttribute("name", "");
                    model.addAttribute("grants", "");
                    model.addAttribute("expires", "");
                })
                .then()
                .onErrorResume(PlatformException.Refused.class, e -> {
                    if (e.status() < 500) {
                        forms.reopen(formId); // a 5xx (a proxy's timeout, say) does not say that nothing was made
                    }
                    model.addAttribute("error", e.getMessage());
                    return Mono.empty();
                });
        // only the create's refusal reopens the form: a refused listing after it must not
        return created.then(Mono.defer(() -> model.containsAttribute("issued") ? issuedPage(model, forms) : page(model, forms)));
    }

    /** The page that shows a token just made: its secret is shown even if the list cannot be read, since it is never shown again. */
    private Mono<String> issuedPage(Model model, CreateForms forms) {
        return page(model, forms).onErrorResume(PlatformException.class, e -> {
            model.addAttribute("tokens", List.of());
            model.addAttribute("unlisted", e.getMessage());
            model.addAttribute("formId", forms.open(random));
            return Mono.just(VIEW);
        });
    }

    /** A post of a form that may not create a token: sent before ({@code before}), or none this session was shown (null). */
    private Mono<String> notSent(CreateForms.Form before, Model model, CreateForms forms, ServerWebExchange exchange) {
        HttpStatus status = before == null ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT;
        exchange.getResponse().setStatusCode(status);
        model.addAttribute("repeat", switch (before) {
            case null -> new Repeat("tokens.form.unknown", "");
            case CreateForms.Form.Sending s -> new Repeat("tokens.form.sending", s.name());
            case CreateForms.Form.Created c -> new Repeat("tokens.form.created", c.name());
            case CreateForms.Form.Open o -> throw new IllegalStateException("an open form is sent");
        });
        return page(model, forms);
    }

    /** Why a post created nothing: {@code key} in messages.properties, with the token's name. */
    record Repeat(String key, String name) {}

    @PostMapping("/tokens/{id}/revoke")
    Mono<String> revoke(@PathVariable String id, ServerWebExchange exchange) {
        return Flash.unlessRefused(platform.revokeToken(id).then(Flash.redirect(exchange, "/tokens", "tokens.revoked", id)),
                exchange, "/tokens", "action.refused");
    }

    private Mono<String> page(Model model, CreateForms forms) {
        return platform.tokens().map(tokens -> {
            model.addAttribute("tokens", tokens.stream().sorted(Comparator.comparing(ApiToken::createdAt).reversed()).toList());
            model.addAttribute("formId", forms.open(random));
            return VIEW;
        });
    }

    private static String value(MultiValueMap<String, String> form, String field) {
        String v = form.getFirst(field);
        return v == null ? "" : v.strip();
    }

    /**
     * {@code deployer@ci, viewer@prod, admin}: role at namespace, or cluster-wide without one.
     *
     * @throws IllegalArgumentException naming the entry that is not a grant
     */
    static List<Grant> grants(String text) {
        List<Grant> grants = new ArrayList<>();
        for (String entry : text.split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split("@", 2);
            Role role;
            try {
                role = Role.valueOf(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + entry + "' is not a grant: write viewer, deployer or admin, then @namespace"
                        + " (nothing for cluster-wide)");
            }
            grants.add(new Grant(role, parts.length == 2 && !parts[1].isEmpty() ? parts[1] : null));
        }
        return grants;
    }
}
