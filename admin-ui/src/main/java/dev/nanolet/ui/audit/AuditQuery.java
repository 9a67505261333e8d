package dev.nanolet.ui.audit;

import dev.nanolet.ui.web.Addresses;
import dev.nanolet.wire.AuditPage;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/**
 * The filters of one audit page, each as the browser sent it (stripped; empty is no filter): platform-api checks them and
 * its 400 or 422 is shown. Only {@link #PARAMETERS} are read; one given twice is refused ({@link #repeated}).
 *
 * @param namespaced whether the reader may read only a namespace it names (an admin of namespaces, not cluster-wide)
 */
record AuditQuery(Map<String, String> filters, boolean namespaced) {
    static final String[] PARAMETERS = {"namespace", "actor", "dryRun", "requestId", "before", "limit"};

    AuditQuery {
        filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    }

    /**
     * The filters {@code query} gives; without a {@code namespace} parameter, {@code defaultNamespace}: a token that is admin
     * in namespaces but not cluster-wide may read only a named one, this the first of them ({@link #namespaced}); null for a
     * cluster-wide admin.
     */
    static AuditQuery of(MultiValueMap<String, String> query, String defaultNamespace) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : PARAMETERS) {
            String value = query.getFirst(name);
            if (value != null && !value.isBlank()) {
                filters.put(name, value.strip());
            }
        }
        if (!query.containsKey("namespace") && defaultNamespace != null) {
            filters.put("namespace", defaultNamespace);
        }
        return new AuditQuery(filters, defaultNamespace != null);
    }

    /**
     * The first filter {@code query} gives more than once, else null: which of its values was meant is a guess (platform-api
     * refuses a {@code dryRun} given twice, and the dashboard must not answer another query than the one it was asked).
     */
    static String repeated(MultiValueMap<String, String> query) {
        return Arrays.stream(PARAMETERS).filter(name -> query.containsKey(name) && query.get(name).size() > 1).findFirst().orElse(null);
    }

    /**
     * The {@code limit} the filter form carries on (as a hidden field): only one platform-api takes, 1 to {@link AuditPage#MAX_LIMIT}
     * written plainly, else null. A forged {@code limit=100000} would be sent again, and refused again, whenever the user
     * filters. A spelling platform-api takes too ({@code 0x10}, {@code +5}, {@code 010}) is left out as well: the next filter
     * then asks for the default page.
     */
    String formLimit() {
        String limit = filters.get("limit");
        if (limit == null || !limit.matches("[1-9][0-9]{0,2}")) {
            return null;
        }
        int n = Integer.parseInt(limit);
        return n >= 1 && n <= AuditPage.MAX_LIMIT ? limit : null;
    }

    /** This page's filters with {@code before} the page older than it, as a dashboard link. */
    AuditQuery before(long next) {
        Map<String, String> older = new LinkedHashMap<>(filters);
        older.put("before", Long.toString(next));
        return new AuditQuery(older, namespaced);
    }

    /**
     * The dashboard link to the entries of the request {@code requestId} (an entry's): for a {@link #namespaced} reader in
     * this page's namespace, the only one it may read; for a cluster-wide admin in all, since an apply's own entry has no
     * namespace and its documents may be in several. The other filters would hide the request's other entries.
     */
    String request(String requestId) {
        Map<String, String> one = new LinkedHashMap<>();
        if (namespaced && filters.containsKey("namespace")) {
            one.put("namespace", filters.get("namespace"));
        }
        one.put("requestId", requestId);
        return new AuditQuery(one, namespaced).uri("/audit");
    }

    /** {@code path} with every filter as a query parameter, each value encoded whole (an {@code &}, {@code +} or {@code #} stays in it). */
    String uri(String path) {
        return Addresses.of(path, filters);
    }
}
