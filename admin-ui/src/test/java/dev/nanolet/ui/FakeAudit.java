package dev.nanolet.ui;

import dev.nanolet.wire.AuditEntry;
import dev.nanolet.wire.AuditPage;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * platform-api's {@code GET /audit} as docs/api.md "Audit" says: newest first, {@code next} the last id listed while older
 * entries remain; a cluster admin reads all, a namespace's admin names its namespace (403 otherwise, as a viewer
 * always); {@code requestId} matches exactly; {@code dryRun} other than true or false, a {@code requestId} no request can
 * have and a {@code before} or {@code limit} that is no number 400, a limit outside 1–500 422.
 */
final class FakeAudit {
    private FakeAudit() {}

    /** {@code adminIn}: the namespace the caller is admin in, {@code null} for a cluster admin, empty for none. */
    static Mono<ServerResponse> page(ServerRequest r, List<AuditEntry> log, String adminIn) {
        Optional<String> ns = r.queryParam("namespace").filter(v -> !v.isEmpty());
        if (adminIn != null && (adminIn.isEmpty() || !ns.equals(Optional.of(adminIn)))) {
            return FakePlatformApi.problem(403, ns.isEmpty() ? "reading the whole audit log needs role admin cluster-wide"
                    : "reading the audit log of namespace " + ns.get() + " needs role admin in namespace " + ns.get(), List.of());
        }
        Optional<String> dryRun = r.queryParam("dryRun").filter(v -> !v.isEmpty());
        if (dryRun.isPresent() && !dryRun.get().matches("true|false")) {
            return FakePlatformApi.problem(400, "dryRun must be true or false", List.of());
        }
        Optional<String> requestId = r.queryParam("requestId").filter(v -> !v.isEmpty());
        if (requestId.isPresent() && !requestId.get().matches("[!-~]{1,128}")) {
            return FakePlatformApi.problem(400, "requestId: must be 1 to 128 visible ASCII characters, as a request's id is", List.of());
        }
        long before;
        int limit;
        try {
            before = r.queryParam("before").map(Long::parseLong).orElse(Long.MAX_VALUE);
            limit = r.queryParam("limit").map(Integer::parseInt).orElse(100);
        } catch (NumberFormatException e) {
            return FakePlatformApi.problem(400, "before and limit must be numbers", List.of());
        }
        if (limit < 1 || limit > 500) {
            return FakePlatformApi.problem(422, "limit must be between 1 and 500", List.of());
        }
        Optional<String> actor = r.queryParam("actor").filter(v -> !v.isEmpty());
        List<AuditEntry> matching = log.stream().filter(e -> e.id() < before)
                .filter(e -> ns.isEmpty() || ns.get().equals(e.namespace()))
                .filter(e -> actor.isEmpty() || actor.get().equals(e.actorId()) || actor.get().equals(e.actorName()))
                .filter(e -> dryRun.isEmpty() || Boolean.parseBoolean(dryRun.get()) == e.dryRun())
                .filter(e -> requestId.isEmpty() || requestId.get().equals(e.requestId()))
                .sorted(Comparator.comparingLong(AuditEntry::id).reversed()).toList();
        List<AuditEntry> page = matching.stream().limit(limit).toList();
        Long next = matching.size() > limit ? page.getLast().id() : null;
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(new AuditPage(page, next));
    }
}
