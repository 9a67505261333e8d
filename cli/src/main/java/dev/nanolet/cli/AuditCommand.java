package dev.nanolet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code audit}: the writes platform-api recorded, newest first ({@code GET /api/v1/audit}). One page by default, with the
 * {@code --before} of the next (older) one said on stderr; {@code --all-pages} follows {@code next} to the oldest entry.
 */
@Command(name = "audit", description = "List the audit log's entries, newest first (needs role admin in the namespace, or cluster-wide for -A).")
final class AuditCommand implements Callable<Integer> {
    @Mixin Global global;

    @Option(names = {"-A", "--all-namespaces"}, description = "entries of every namespace (needs a cluster-wide admin)")
    boolean allNamespaces;

    @Option(names = "--actor", description = "only this token's entries (its id or name; admin, bootstrap)")
    String actor;

    /** Which entries {@code --dry-runs} keeps: not {@code --dry-run}, which on a write asks for one (DryRunOption). */
    enum DryRuns { only, none }

    @Option(names = "--dry-runs", paramLabel = "only|none", description = "only dry runs' entries (only) or none of them (none); both without it")
    DryRuns dryRuns;

    @Option(names = "--request-id", paramLabel = "ID", description = "only the entries of the requests with this X-Request-Id "
            + "(exactly: all one nanolet command did; a failed write's message says its command's)")
    String requestId;

    @Option(names = "--before", paramLabel = "ID", description = "entries older than this id: a page's next")
    Long before;

    @Option(names = "--limit", paramLabel = "N", description = "entries per page, 1-500 (the server's default: 100)")
    Integer limit;

    @Option(names = "--all-pages", description = "follow next to the oldest entry: every page, printed as one list")
    boolean allPages;

    @Override
    public Integer call() {
        Api api = global.api();
        List<JsonNode> entries = new ArrayList<>();
        Long from = before;
        JsonNode page;
        do {
            page = api.page(query(from));
            page.path("entries").forEach(entries::add);
            Long next = page.path("next").isNull() ? null : page.path("next").asLong();
            if (next != null && from != null && next >= from) {
                throw new CliException(CliException.ROLLOUT_FAILED, "the server's next (" + next + ") is not older than " + from);
            }
            from = next;
        } while (allPages && from != null);
        ObjectNode all = Api.JSON.createObjectNode();
        all.set("entries", Api.JSON.createArrayNode().addAll(entries));
        all.put("next", from);
        if (global.output == Output.Format.table) {
            global.out().print(all.path("entries"), columns());
            if (from != null) {
                Output.progress("older entries: --before " + from);
            }
        } else {
            global.out().print(all, columns());
        }
        return 0;
    }

    /** The page's path: every filter given, each value encoded whole, so an {@code &} or {@code #} in it stays its own. */
    String query(Long from) {
        StringBuilder q = new StringBuilder("/api/v1/audit?");
        if (!allNamespaces) {
            q.append("namespace=").append(Api.segment(global.namespace())).append('&');
        }
        if (actor != null) {
            q.append("actor=").append(Api.segment(actor)).append('&');
        }
        if (dryRuns != null) {
            q.append("dryRun=").append(dryRuns == DryRuns.only).append('&');
        }
        if (requestId != null) {
            q.append("requestId=").append(Api.segment(requestId)).append('&');
        }
        if (from != null) {
            q.append("before=").append(from).append('&');
        }
        if (limit != null) {
            q.append("limit=").append(limit).append('&');
        }
        return q.substring(0, q.length() - 1);
    }

    static Map<String, Function<JsonNode, String>> columns() {
        var c = Output.columns();
        c.put("ID", e -> e.path("id").asString());
        c.put("AT", e -> e.path("at").asString());
        c.put("ACTOR", e -> e.path("actorName").asString(e.path("actorId").asString("")));
        c.put("METHOD", e -> e.path("method").asString());
        c.put("PATH", e -> e.path("path").asString());
        c.put("STATUS", e -> e.path("status").asString());
        c.put("WRITTEN", e -> e.path("written").isIntegralNumber() ? e.path("written").asString() : ""); // the write's own, when STATUS is not
        c.put("DRY RUN", e -> e.path("dryRun").asString());
        c.put("CLIENT", e -> e.path("client").asString());
        c.put("REQUEST ID", e -> e.path("requestId").asString(""));
        return c;
    }
}
