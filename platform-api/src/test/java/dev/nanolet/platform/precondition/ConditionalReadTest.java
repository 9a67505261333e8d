package dev.nanolet.platform.precondition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A {@code GET} of one secret with {@code If-None-Match} (RFC 9110, section 13.1.2), as a CI pipeline polls: the
 * current ETag — compared weakly, in a list, or {@code *} — is 304 with that ETag and no body; any other tag is the
 * secret as without the header; and a caller that may not read it gets exactly what it gets without the header, never
 * a 304. A deployment's read ignores the header: its ETag does not follow its status.
 */
@PlatformApiTest
class ConditionalReadTest extends NamespaceTestBase {
    @Autowired
    JdbcClient jdbc;

    String secret() {
        return "/api/v1/namespaces/" + ns + "/secrets/db";
    }

    /** Writes the secret (again: a new version); its ETag. */
    String write(String value) {
        Response s = admin.json(HttpMethod.PUT, secret(), "{\"data\":{\"password\":\"" + value + "\"}}");
        assertThat(s.status()).as(s.toString()).isIn(200, 201);
        return s.headers().getETag();
    }

    static Map<String, String> ifNoneMatch(String value) {
        return Map.of(HttpHeaders.IF_NONE_MATCH, value);
    }

    @Test
    void theCurrentETagIs304WithThatETagAndNoBody() {
        String etag = write("one");
        assertThat(admin.get(secret()).headers().getETag()).isEqualTo(etag).isNotNull();
        for (String value : List.of(etag, "W/" + etag, "\"0\", " + etag, "\"0\", , W/" + etag, "*")) {
            Response r = admin.get(secret(), ifNoneMatch(value));
            assertThat(r.status()).as("If-None-Match: %s", value).isEqualTo(304);
            assertThat(r.headers().getETag()).isEqualTo(etag);
            assertThat(r.bytes()).isEmpty();
        }
        Response head = admin.send(HttpMethod.HEAD, secret(), null, null, ifNoneMatch(etag));
        assertThat(head.status()).isEqualTo(304);
        assertThat(head.headers().getETag()).isEqualTo(etag);
    }

    @Test
    void anyOtherTagIsTheSecretAsWithoutTheHeader() {
        String stale = write("one");
        write("two");
        Response plain = admin.get(secret());
        assertThat(plain.headers().getETag()).isNotEqualTo(stale);
        for (String value : List.of(stale, "\"0\", W/\"1\"")) {
            Response r = admin.get(secret(), ifNoneMatch(value));
            assertThat(r.status()).as("If-None-Match: %s", value).isEqualTo(200);
            assertThat(r.headers().getETag()).isEqualTo(plain.headers().getETag());
            assertThat(r.json()).isEqualTo(plain.json());
        }
    }

    @Test
    void aSecretThatDoesNotExistIs404WhateverTheTag() {
        String etag = write("one");
        admin.delete(secret());
        for (String value : List.of("*", etag)) {
            Response r = admin.get(secret(), ifNoneMatch(value));
            assertThat(r.status()).as("If-None-Match: %s", value).isEqualTo(404);
            assertThat(r.headers().getETag()).isNull();
        }
    }

    @Test
    void aMalformedIfNoneMatchIs400NamingIt() {
        write("one");
        Response r = admin.get(secret(), ifNoneMatch("57"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.headers().getContentType()).hasToString("application/problem+json");
        assertThat(r.json().path("detail").asString()).contains("If-None-Match");
    }

    /**
     * A token of another namespace gets the 403 it gets without the header, whatever the tag (a 304 would confirm the
     * version, and that the secret exists); a token without a grant its 401; a viewer of the namespace its 304.
     */
    @Test
    void aCallerThatMayNotReadGetsWhatItGetsWithoutTheHeaderNeverA304() {
        String etag = write("one");
        ApiClient outsider = withGrant("deployer", "other-" + ns);
        ApiClient anonymous = admin.as(null);
        for (ApiClient caller : List.of(outsider, anonymous)) {
            Response plain = caller.get(secret());
            assertThat(plain.status()).isIn(401, 403);
            for (String value : List.of(etag, "*")) {
                Response r = caller.get(secret(), ifNoneMatch(value));
                assertThat(r.status()).as("If-None-Match: %s", value).isEqualTo(plain.status());
                assertThat(r.body()).isEqualTo(plain.body());
                assertThat(r.headers().getETag()).isNull();
            }
        }
        assertThat(withGrant("viewer", ns).get(secret(), ifNoneMatch(etag)).status()).isEqualTo(304);
    }

    /**
     * A deployment's answer shows its status, computed from its replicas when it is read, which its resource version
     * does not follow: a replica that appears changes the answer, not the ETag. A 304 for that ETag would tell a
     * pipeline polling a rollout (or a browser revalidating its copy) that nothing changed; so the read ignores
     * {@code If-None-Match}, as before there were conditional reads (a malformed one too).
     */
    @Test
    void aDeploymentsReadIgnoresIfNoneMatchItsStatusChangesUnderTheSameETag() {
        String path = "/api/v1/namespaces/" + ns + "/deployments/job";
        Response put = admin.json(HttpMethod.PUT, path, "{\"module\":\"" + module + "\",\"job\":{},\"replicas\":0}");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        Response before = admin.get(path);
        jdbc.sql("""
                INSERT INTO replicas (id, deployment_id, revision, phase, memory_mib)
                SELECT gen_random_uuid(), id, 1, 'Pending', 64 FROM deployments
                WHERE namespace = ? AND name = 'job' AND deleted_at IS NULL""").param(ns).update();

        Response r = admin.get(path, ifNoneMatch(before.headers().getETag()));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.headers().getETag()).isEqualTo(before.headers().getETag());
        assertThat(r.json().path("status")).isNotEqualTo(before.json().path("status"));
        for (String value : List.of("*", "57")) {
            assertThat(admin.get(path, ifNoneMatch(value)).status()).as("If-None-Match: %s", value).isEqualTo(200);
        }
    }
}
