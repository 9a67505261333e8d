package dev.nanolet.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * Whether the credential that opened a long stream still may: revocation and expiry act on the next request, so a
 * stream (a node's watch, a followed log) asks as it goes and ends once the answer is no. A node's credential holds
 * while it names the node (deleting the node revokes it, and the name may be registered again with another); an API
 * token while it is neither revoked nor expired (its grants never change); the configured tokens always.
 */
@Component
public class CredentialChecks {
    private final NodeIdentities nodes;
    private final ApiTokens tokens;

    CredentialChecks(NodeIdentities nodes, ApiTokens tokens) {
        this.nodes = nodes;
        this.tokens = tokens;
    }

    /** A check of the credential {@code request} was authenticated by; each call asks the database. */
    public BooleanSupplier stillValid(HttpServletRequest request) {
        String credential = BearerCredential.of(request);
        return switch (Caller.of(request)) {
            case Caller.Node node -> () -> nodes.nodeFor(credential).filter(node.name()::equals).isPresent();
            case Caller.Token token -> () -> tokens.callerFor(credential).isPresent();
            case Caller.Admin admin -> () -> true;
            case Caller.Bootstrap bootstrap -> () -> true;
        };
    }
}
