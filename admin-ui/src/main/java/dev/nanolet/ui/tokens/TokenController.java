package dev.nanolet.ui.tokens;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.web.Flash;
import dev.nanolet.wire.ApiToken;
import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Role;
import dev.nanolet.wire.TokenRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * and it is never put in the session), and revocation. platform-api decides who may do what.
 */
@Controller
class TokenController {
    static final String VIEW = "tokens";
    private final PlatformClient platform;

    TokenController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping("/tokens")
    Mono<String> list(Model model) {
        return page(model);
    }

    @PostMapping("/tokens")
    Mono<String> create(Model model, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String name = value(form, "name");
            model.addAttribute("name", name);
            model.addAttribute("grants", value(form, "grants"));
            model.addAttribute("expires", value(form, "expiresInSeconds"));
            List<Grant> grants;
            Long expires;
            try {
                grants = grants(value(form, "grants"));
                expires = value(form, "expiresInSeconds").isEmpty() ? null : Long.valueOf(value(form, "expiresInSeconds"));
            } catch (IllegalArgumentException e) {
                model.addAttribute("error", e instanceof NumberFormatException ? "expires in: must be a whole number of seconds"
                        : e.getMessage());
                return page(model);
            }
            return platform.createToken(new TokenRequest(name, grants, expires))
                    .doOnNext(issued -> {
                        model.addAttribute("issued", issued);
                        model.addAttribute("name", "");
                        model.addAttribute("grants", "");
                        model.addAttribute("expires", "");
                    })
                    .then(page(model))
                    .onErrorResume(PlatformException.Refused.class, e -> {
                        model.addAttribute("error", e.getMessage());
                        return page(model);
                    });
        });
    }

    @PostMapping("/tokens/{id}/revoke")
    Mono<String> revoke(@PathVariable String id, ServerWebExchange exchange) {
        return Flash.unlessRefused(platform.revokeToken(id).then(Flash.redirect(exchange, "/tokens", "tokens.revoked", id)),
                exchange, "/tokens", "action.refused");
    }

    private Mono<String> page(Model model) {
        return platform.tokens().map(tokens -> {
            model.addAttribute("tokens", tokens.stream().sorted(Comparator.comparing(ApiToken::createdAt).reversed()).toList());
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
