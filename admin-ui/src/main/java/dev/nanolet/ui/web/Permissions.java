package dev.nanolet.ui.web;

import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Identity;
import dev.nanolet.wire.Role;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What the signed-in token may do, as the model attribute {@code may}: templates show an action
 * only when its grants allow it (a viewer sees no deploy, scale, roll back or delete). Hiding is for
 * the person; platform-api still decides every call, with the same grants.
 */
@ControllerAdvice
public class Permissions {
    /** The namespace a form or page names when nothing else does. */
    public static final String DEFAULT_NAMESPACE = "default";

    @ModelAttribute("may")
    Mono<May> may(ServerWebExchange exchange) {
        return of(exchange);
    }

    /**
     * Completes when the signed-in token may {@code allowed}, else fails with {@link Forbidden} saying it {@code needs}
     * that (so does a session without an identity): for a page that only writes, which a token that may not write is
     * refused on a GET already.
     */
    public static Mono<Void> require(ServerWebExchange exchange, Predicate<May> allowed, String needs) {
        return of(exchange).switchIfEmpty(Mono.error(() -> new Forbidden("needs " + needs)))
                .flatMap(may -> allowed.test(may) ? Mono.<Void>empty()
                        : Mono.error(new Forbidden("needs " + needs + "; token " + may.name() + " has " + may.grants())));
    }

    /** What the signed-in token may do; empty without a signed-in identity. */
    public static Mono<May> of(ServerWebExchange exchange) {
        return exchange.getPrincipal().filter(Authentication.class::isInstance).map(Authentication.class::cast)
                .map(Authentication::getDetails).filter(Identity.class::isInstance).map(d -> new May((Identity) d));
    }

    /** The signed-in token's identity, read the way templates ask. */
    public record May(Identity identity) {
        /** Deploy, scale, roll back or delete deployments in {@code namespace}. */
        public boolean deploy(String namespace) {
            return identity.may(Role.deployer, namespace);
        }

        /** Read what namespace {@code namespace} holds: its deployments, secrets and events. */
        public boolean read(String namespace) {
            return identity.may(Role.viewer, namespace);
        }

        /** Deploy somewhere: the "New deployment" and upload links. */
        public boolean deployAnywhere() {
            return identity.mayAnywhere(Role.deployer);
        }

        /** Read what only a cluster-wide viewer reads: nodes, every namespace's deployments, the events. */
        public boolean readCluster() {
            return identity.may(Role.viewer, null);
        }

        /** The namespaces a grant names (a token that cannot read the cluster reads these one by one), sorted. */
        public List<String> namespaces() {
            return identity.grants().stream().map(Grant::namespace).filter(java.util.Objects::nonNull).distinct().sorted().toList();
        }

        /**
         * The namespace a page opens on when the address names none: {@code default} if the token may act as {@code role}
         * there (or nowhere at all), else the first namespace of a grant that does; platform-api would refuse it default.
         */
        public String home(Role role) {
            return identity.may(role, DEFAULT_NAMESPACE) ? DEFAULT_NAMESPACE
                    : identity.grants().stream().filter(g -> g.namespace() != null && g.role().includes(role)).map(Grant::namespace)
                            .sorted().findFirst().orElse(DEFAULT_NAMESPACE);
        }

        /** Cluster-wide admin: nodes' actions, deleting modules. */
        public boolean admin() {
            return identity.may(Role.admin, null);
        }

        /**
         * Admin somewhere: the Tokens page and the Audit page (the log of the namespaces where it is admin, or all of it
         * cluster-wide).
         */
        public boolean adminSomewhere() {
            return identity.mayAnywhere(Role.admin);
        }

        public String name() {
            return identity.name();
        }

        /** The grants in words: {@code admin (cluster-wide)}, {@code deployer in ci}. */
        public String grants() {
            return describe(identity.grants());
        }

        public static String describe(List<Grant> grants) {
            return grants.stream().map(g -> g.role() + (g.namespace() == null ? " (cluster-wide)" : " in " + g.namespace()))
                    .collect(Collectors.joining(", "));
        }
    }
}
