package dev.nanolet.ui.platform;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where admin-ui finds platform-api and the node data plane.
 *
 * @param url base URL of platform-api (env {@code NANOLET_PLATFORM_URL})
 * @param timeout how long one call to platform-api may take (env {@code NANOLET_PLATFORM_TIMEOUT})
 * @param routeUrl base URL of a node agent's data plane, used by "try it" (env {@code NANOLET_ROUTE_URL}), without a
 *     trailing {@code /}: a route's path, which starts with one, is appended to it
 * @param logTailTimeout how long the plain log page waits for the whole tail (env {@code NANOLET_PLATFORM_LOG_TAIL_TIMEOUT}):
 *     platform-api sends nothing until it has read every node's tail, and gives each node up to 15 s
 *     (5 s to connect, 10 s to the headers), so this is longer than that by default
 * @param importTimeout how long adding a module, an import from an OCI registry or an upload, may take (env
 *     {@code NANOLET_PLATFORM_IMPORT_TIMEOUT}): platform-api pulls for up to its {@code NANOLET_IMPORT_TIMEOUT} (2 min by
 *     default) and parses for up to its {@code NANOLET_MODULES_PARSE_TIMEOUT} (10 s) before it answers, so this is longer
 *     than that by default (2 min 30 s); with a shorter one the page says the import or upload failed while it goes on
 *     and succeeds
 * @param connections how many connections to platform-api the pages' calls share (env {@code NANOLET_PLATFORM_CONNECTIONS},
 *     32): a call that finds them all busy waits for one within its {@code timeout}
 * @param longConnections how many connections followed logs, log tails, imports and uploads share (env
 *     {@code NANOLET_PLATFORM_LONG_CONNECTIONS}, 100): each holds one for as long as it is open, so they have a pool of their
 *     own that cannot leave the pages without one; when it is exhausted, a few more wait up to {@code timeout}, and the
 *     rest fail at once saying so
 */
@ConfigurationProperties("nanolet.platform")
public record PlatformProperties(URI url, Duration timeout, URI routeUrl, Duration logTailTimeout, Duration importTimeout,
        Integer connections, Integer longConnections) {
    static final int DEFAULT_CONNECTIONS = 32;
    static final int DEFAULT_LONG_CONNECTIONS = 100;

    public PlatformProperties {
        url = url == null ? URI.create("http://localhost:8090") : url;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        routeUrl = URI.create((routeUrl == null ? "http://127.0.0.1:8181" : routeUrl.toString()).replaceAll("/+$", ""));
        logTailTimeout = logTailTimeout == null ? Duration.ofSeconds(20) : logTailTimeout;
        importTimeout = importTimeout == null ? Duration.ofSeconds(150) : importTimeout;
        connections = positive("nanolet.platform.connections", connections, DEFAULT_CONNECTIONS);
        longConnections = positive("nanolet.platform.long-connections", longConnections, DEFAULT_LONG_CONNECTIONS);
    }

    private static int positive(String name, Integer connections, int otherwise) {
        if (connections != null && connections < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + connections);
        }
        return connections == null ? otherwise : connections;
    }
}
