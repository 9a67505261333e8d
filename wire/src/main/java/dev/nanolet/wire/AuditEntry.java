package dev.nanolet.wire;

import java.time.Instant;

/**
 * One audited write.
 *
 * @param actorId the token's id, or {@code admin} / {@code bootstrap} for the configured tokens
 * @param namespace the namespace the path names, else null
 * @param object what was written, the path below {@code /api/v1/} (for example {@code namespaces/ci/deployments/web})
 * @param client the client's address as the server saw it (no proxy headers are trusted)
 * @param status the HTTP status answered; or, for an entry written once its write committed, before a {@code wait=true}
 *     ({@code PUT …/deployments/{name}}, {@code POST …/rollback}, each document of {@code POST /apply}), the write's own
 *     (200, 201): when the request then answered otherwise, that answer is a later entry, with {@code written}
 * @param dryRun whether the write asked for a dry run in a form its endpoint takes ({@code ?dryRun=All} once, on a write
 *     that has a dry run), answered or refused: nothing was written, whatever the status says
 * @param written the status of the write itself (200, 201) when it was done and the request then answered another
 *     {@code status}: a {@code wait=true} that ended 401, 404, 422 or 503 once the write was committed, which stays
 *     written (and was listed once committed, in an entry of its own), or a {@code secrets:rotate} a later batch of
 *     which failed (503) after earlier ones were re-sealed; null when the status answered is the whole
 *     story (also an {@code atomic=true} write its undo reverted: a single {@code PUT}, or an apply whose deployments
 *     were all reverted and whose secrets were unchanged)
 * @param requestId the id of the request that wrote the entry, the same in every entry it wrote (a write's entry once
 *     committed and its later one, an apply's and its documents'): the {@code X-Request-Id} the client sent when it was
 *     sane (once, 1 to 128 visible ASCII characters), else one platform-api made; its answer's {@code X-Request-Id}
 *     said it. Null for entries recorded before it was kept, and where the actor is not shown
 */
public record AuditEntry(long id, Instant at, String actorId, String actorName, String method, String path,
        String namespace, String object, String client, int status, boolean dryRun, Integer written, String requestId) {

    /** An entry whose status answered is the whole story ({@code written} null), of no known request. */
    public AuditEntry(long id, Instant at, String actorId, String actorName, String method, String path,
            String namespace, String object, String client, int status, boolean dryRun) {
        this(id, at, actorId, actorName, method, path, namespace, object, client, status, dryRun, null, null);
    }
}
