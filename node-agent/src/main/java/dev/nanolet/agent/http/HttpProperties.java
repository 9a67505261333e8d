package dev.nanolet.agent.http;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What the data-plane listener lets a client hold ({@code nanolet.http.*}; the idle timeout and header limit hold for
 * the kubelet API's listener too); docs/security.md says why each default is what it is. A setting of nothing (no time
 * for a body, no header field or byte, an empty budget) refused every request, or failed the start with Netty's name for
 * it: it is refused at start, naming the setting.
 *
 * @param bodyTimeout a request body must have arrived whole within this, else 408; it is read before
 *     the request takes one of its deployment's slots, so a slow client holds a connection, never a
 *     slot ({@code NANOLET_BODY_TIMEOUT})
 * @param idleTimeout a connection that carries no request for this long is closed; Netty counts it in whole
 *     milliseconds and takes none as no timeout at all, so it is at least 1 ms ({@code NANOLET_IDLE_TIMEOUT};
 *     {@link ListenerSettings})
 * @param maxHeaderBytes request header fields above this in total answer 431
 *     ({@code NANOLET_MAX_HEADER_BYTES}; {@link ListenerSettings})
 * @param maxHeaders a request with more header fields than this answers 431 ({@code NANOLET_MAX_HEADERS})
 * @param bodyBudget request-body bytes the whole node holds in memory at once, over every connection: a
 *     request whose declared body does not fit now answers 503 with {@code Retry-After} before a byte of
 *     it is read, a chunked one as soon as it outgrows what is left ({@code NANOLET_BODY_BUDGET}); unset:
 *     {@link #defaultBodyBudget}
 * @param responseBudget response bytes that guests' outputs hold at once, over every request, beyond the
 *     first 256 KiB of each: an output that outgrows what is left ends, and its request answers 503 with
 *     {@code Retry-After} ({@code NANOLET_RESPONSE_BUDGET}; {@link ResponseBudget})
 * @param dashboardCookie the admin-ui's session cookie: removed from every request before a module or
 *     another node sees it, and refused in a module's {@code Set-Cookie} ({@code NANOLET_DASHBOARD_COOKIE})
 */
@ConfigurationProperties("nanolet.http")
record HttpProperties(
        @DefaultValue("30s") Duration bodyTimeout,
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("16KB") DataSize maxHeaderBytes,
        @DefaultValue("100") int maxHeaders,
        DataSize bodyBudget,
        @DefaultValue("64MB") DataSize responseBudget,
        @DefaultValue("NANOLET_SESSION") String dashboardCookie) {

    HttpProperties {
        Setting.of("nanolet.http.body-timeout", "NANOLET_BODY_TIMEOUT").atLeast(Duration.ofMillis(1), bodyTimeout);
        Setting.of("nanolet.http.idle-timeout", "NANOLET_IDLE_TIMEOUT").atLeast(Duration.ofMillis(1), idleTimeout);
        Setting.of("nanolet.http.max-header-bytes", "NANOLET_MAX_HEADER_BYTES").bytesAtLeast(1, maxHeaderBytes.toBytes());
        Setting.of("nanolet.http.max-headers", "NANOLET_MAX_HEADERS").atLeast(1, maxHeaders);
        bodyBudget = bodyBudget == null ? DataSize.ofBytes(defaultBodyBudget(Runtime.getRuntime().maxMemory())) : bodyBudget;
        Setting.of("nanolet.http.body-budget", "NANOLET_BODY_BUDGET").bytesAtLeast(1, bodyBudget.toBytes());
        Setting.of("nanolet.http.response-budget", "NANOLET_RESPONSE_BUDGET").bytesAtLeast(1, responseBudget.toBytes());
    }

    /**
     * An eighth of the heap, at most 256 MB. Guests' linear memory may take half the heap (docs/runtime.md) and responses
     * 64 MB; a fixed 256 MB for bodies besides made more than a 512 MiB heap ({@code ./nanolet up}'s) in all, so
     * each budget was bounded but not against the others.
     */
    static long defaultBodyBudget(long maxHeap) {
        return Math.min(DataSize.ofMegabytes(256).toBytes(), maxHeap / 8);
    }
}
