package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** What the audit tests that write deployments of their namespace and read the entries back share. */
abstract class AuditTestBase extends NamespaceTestBase {
    /** A Deployment document of {@code name} in the test's namespace, for a manifest. */
    String deployment(String name) {
        return "{apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: " + name + ", namespace: " + ns + "}, spec: "
                + spec("") + "}";
    }

    /** A job's spec of the test's module, {@code extra} fields appended; with a wait no node runs it, so it fails. */
    String spec(String extra) {
        return "{\"module\": \"" + module + "\", \"job\": {}" + extra + "}";
    }

    /** The entries {@code query} lists, read by the admin, each as {@code METHOD path status} and what {@code rest} reads. */
    List<String> entries(String query, Function<JsonNode, String> rest) {
        Response log = admin.get(query);
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        return log.json().path("entries").valueStream().map(e -> e.path("method").asString() + " " + e.path("path").asString()
                + " " + e.path("status").asInt() + " " + rest.apply(e)).toList();
    }
}
