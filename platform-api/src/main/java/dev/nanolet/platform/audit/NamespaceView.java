package dev.nanolet.platform.audit;

import dev.nanolet.platform.web.ApiTokens;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.AuditEntry;
import java.util.HashSet;
import java.util.Set;

/**
 * What an admin of one namespace, not of the cluster, reads of that namespace's audit: entries by an actor that holds
 * no role there (a tenant of another namespace probing this one, refused) keep what was tried and its answer, but not
 * who tried it nor from where: the actor's id, name and client address, and the request's id (the client may choose
 * it, and name itself in it), are the cluster admin's to read. An actor holds
 * a role when it is the configured admin or a token, revoked or expired ones too, with a grant in the namespace or
 * cluster-wide. The configured bootstrap token holds none but is no tenant's, and is shown whole too: masked, its
 * refused write read as another namespace's token's.
 *
 * @param named the actor ids shown whole
 */
record NamespaceView(Set<String> named) {
    /** The name an entry by an actor of another namespace shows instead of the actor's. */
    static final String OTHER = "a token of another namespace";

    NamespaceView {
        named = Set.copyOf(named);
    }

    static NamespaceView of(ApiTokens tokens, String namespace) {
        Set<String> named = new HashSet<>(tokens.holdersIn(namespace));
        named.add(new Caller.Admin().id());
        named.add(new Caller.Bootstrap().id());
        return new NamespaceView(named);
    }

    AuditEntry show(AuditEntry e) {
        return named.contains(e.actorId()) ? e : new AuditEntry(e.id(), e.at(), null, OTHER, e.method(), e.path(),
                e.namespace(), e.object(), null, e.status(), e.dryRun(), e.written(), null);
    }
}
