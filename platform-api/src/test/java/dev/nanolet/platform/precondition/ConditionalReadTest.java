package dev.nanolet.platform.precondition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * A {@code GET} of one deployment or one secret with {@code If-None-Match} (RFC 9110, section 13.1.2), as a CI
 * pipeline polls: the current ETag — compared weakly, in a list, or {@code *} — is 304 with that ETag and no body;
 * any other tag is the object as without the header; and a caller that may not read it gets exactly what it gets
 * without the header, never a 304.
 */
@PlatformApiTest
class ConditionalReadTest extends NamespaceTestBase {

    String deployment() {
        return "/api/v1/namespaces/" + ns + "/deployments/job";
    }

    String secret() {
        return "/api/v1/namespaces/" + ns + "/secrets/db";
    }

    /** Writes the deployment and the secret (again: a new version of each); their paths. */
    List<String> write(String value) {
        Response d = admin.json(HttpMethod.PUT, deployment(),
                "{\"module\":\"" + module + "\",\"job\":{},\"replicas\":0,\"env\":{\"V\":\"" + value + "\"}}");
        Response s = admin.json(HttpMethod.PUT, secret(), "{\"data\":{\"password\":\"" + value + "\"}}");
        assertThat(List.of(d.status(), s.status())).as(d + " / " + s).allMatch(status -> status == 200 || status == 201);
        return List.of(deployment(), secret());
    }

    static Map<String, String> ifNoneMatch(String value) {
        return Map.of(HttpHeaders.IF_NONE_MATCH, value);
    }

    @Test
    void theCurrentETagIs304WithThatETagAndNoBody() {
        for (String path : write("one")) {
            String etag = admin.get(path).headers().getETag();
            assertThat(etag).as(path).isNotNull();
            for (String value : List.of(etag, "W/" + etag, "\"0\", " + etag, "\"0\", , W/" + etag, "*")) {
                Response r = admin.get(path, ifNoneMatch(value));
                assertThat(r.status()).as("%s with If-None-Match: %s", path, value).isEqualTo(304);
                assertThat(r.headers().getETag()).isEqualTo(etag);
                assertThat(r.bytes()).isEmpty();
            }
            Response head = admin.send(HttpMethod.HEAD, path, null, null, ifNoneMatch(etag));
            assertThat(head.status()).as("HEAD %s", path).isEqualTo(304);
            assertThat(head.headers().getETag()).isEqualTo(etag);
        }
    }

    @Test
    void anyOtherTagIsTheObjectAsWithoutTheHeader() {
        List<String> paths = write("one");
        List<String> stale = paths.stream().map(path -> admin.get(path).headers().getETag()).toList();
        write("two");
        for (int i = 0; i < paths.size(); i++) {
            Response plain = admin.get(paths.get(i));
            assertThat(plain.headers().getETag()).isNotEqualTo(stale.get(i));
            for (String value : List.of(stale.get(i), "\"0\", W/\"1\"")) {
                Response r = admin.get(paths.get(i), ifNoneMatch(value));
                assertThat(r.status()).as("%s with If-None-Match: %s", paths.get(i), value).isEqualTo(200);
                assertThat(r.headers().getETag()).isEqualTo(plain.headers().getETag());
                assertThat(r.json()).isEqualTo(plain.json());
            }
        }
    }

    @Test
    void anObjectThatDoesNotExistIs404WhateverTheTag() {
        List<String> paths = write("one");
        List<String> etags = paths.stream().map(path -> admin.get(path).headers().getETag()).toList();
        admin.delete(deployment());
        admin.delete(secret());
        for (int i = 0; i < paths.size(); i++) {
            for (String value : List.of("*", etags.get(i))) {
                Response r = admin.get(paths.get(i), ifNoneMatch(value));
                assertThat(r.status()).as("%s with If-None-Match: %s", paths.get(i), value).isEqualTo(404);
                assertThat(r.headers().getETag()).isNull();
            }
        }
    }

    @Test
    void aMalformedIfNoneMatchIs400NamingIt() {
        for (String path : write("one")) {
            Response r = admin.get(path, ifNoneMatch("57"));
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.headers().getContentType()).hasToString("application/problem+json");
            assertThat(r.json().path("detail").asString()).contains("If-None-Match");
        }
    }

    /**
     * A token of another namespace gets the 403 it gets without the header, whatever the tag (a 304 would confirm the
     * version, and that the object exists); a token without a grant its 401; a viewer of the namespace its 304.
     */
    @Test
    void aCallerThatMayNotReadGetsWhatItGetsWithoutTheHeaderNeverA304() {
        List<String> paths = write("one");
        ApiClient outsider = withGrant("deployer", "other-" + ns);
        ApiClient anonymous = admin.as(null);
        ApiClient viewer = withGrant("viewer", ns);
        for (String path : paths) {
            String etag = admin.get(path).headers().getETag();
            for (ApiClient caller : List.of(outsider, anonymous)) {
                Response plain = caller.get(path);
                assertThat(plain.status()).as(path).isIn(401, 403);
                for (String value : List.of(etag, "*")) {
                    Response r = caller.get(path, ifNoneMatch(value));
                    assertThat(r.status()).as("%s with If-None-Match: %s", path, value).isEqualTo(plain.status());
                    assertThat(r.body()).isEqualTo(plain.body());
                    assertThat(r.headers().getETag()).isNull();
                }
            }
            assertThat(viewer.get(path, ifNoneMatch(etag)).status()).as(path).isEqualTo(304);
        }
    }
}
