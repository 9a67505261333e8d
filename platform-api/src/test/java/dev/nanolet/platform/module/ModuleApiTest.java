package dev.nanolet.platform.module;

import static dev.nanolet.platform.ApiClient.unique;
import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestApi;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.mock.http.MockHttpOutputMessage;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.LinkedMultiValueMap;

@PlatformApiTest
@TestPropertySource(properties = "nanolet.modules.max-size=64KB")
class ModuleApiTest {
    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    tools.jackson.databind.json.JsonMapper json;

    static final MediaType WASM = MediaType.parseMediaType("application/wasm");

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    Response upload(byte[] bytes, String query) {
        return api.send(HttpMethod.POST, "/api/v1/modules" + query, WASM, bytes, Map.of());
    }

    @Test
    void uploadRecordsWhatTheModuleImportsAndExports() throws Exception {
        byte[] hello = unique(wasm("hello.wasm"));
        Response r = upload(hello, "?name=hello");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hello));
        assertThat(r.headers().getLocation()).hasToString("/api/v1/modules/" + digest);
        assertThat(r.json().path("digest").asString()).isEqualTo(digest);
        assertThat(r.json().path("size").asLong()).isEqualTo(hello.length);
        assertThat(r.json().path("name").asString()).isEqualTo("hello");
        assertThat(r.json().path("imports").toString()).isEqualTo("[\"wasi_snapshot_preview1.fd_write\"]");
        assertThat(r.json().path("exports").toString()).isEqualTo("[\"memory\",\"_start\"]");
        assertThat(r.json().path("wasi").asBoolean()).isTrue();
        assertThat(r.json().path("createdAt").asString()).isNotBlank();
        assertThat(r.json().path("usedBy").size()).isZero();
    }

    @Test
    void sameBytesAgainAnswer200WithTheSameRecord() {
        byte[] add = unique(wasm("add.wasm"));
        Response first = upload(add, "");
        Response again = upload(add, "?name=other");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(first.json().path("wasi").asBoolean()).isFalse();
    }

    @Test
    void concurrentUploadsOfTheSameBytesStoreItOnce() throws Exception {
        byte[] add = unique(wasm("add.wasm"));
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(6);
        java.util.List<java.util.concurrent.Future<Integer>> answers;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
            answers = java.util.stream.IntStream.range(0, 6).mapToObj(i -> pool.submit(() -> {
                start.await();
                return upload(add, "").status();
            })).toList();
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get());
        }

        assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
    }

    @Test
    void multipartPartFileIsAcceptedAndNamedAfterTheFile() throws Exception {
        Response r = multipart("file", "greeter.wasm", unique(wasm("hello.wasm")));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("name").asString()).isEqualTo("greeter");
        assertThat(r.json().path("exports").toString()).contains("_start");
    }

    @Test
    void oversizedMultipartUploadIs413() {
        Response r = multipart("file", "big.wasm", new byte[100 * 1024]);

        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void multipartWithoutPartFileIs400NamingIt() {
        Response r = multipart("module", "hello.wasm", unique(wasm("hello.wasm")));

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("file");
    }

    /** Uploads {@code bytes} as the multipart part {@code part} with file name {@code filename}. */
    Response multipart(String part, String filename, byte[] bytes) {
        var form = new LinkedMultiValueMap<String, Object>();
        form.add(part, new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        });
        var message = new MockHttpOutputMessage();
        try {
            new FormHttpMessageConverter().write(form, MediaType.MULTIPART_FORM_DATA, message);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return api.send(HttpMethod.POST, "/api/v1/modules", message.getHeaders().getContentType(),
                message.getBodyAsBytes(), Map.of());
    }

    @Test
    void getListAndContentByDigestAlsoPercentEncoded() {
        String digest = upload(wasm("hello.wasm"), "").json().path("digest").asString();
        String encoded = digest.replace(":", "%3A");

        assertThat(api.get("/api/v1/modules/" + digest).json().path("digest").asString()).isEqualTo(digest);
        assertThat(api.get("/api/v1/modules/" + encoded).json().path("digest").asString()).isEqualTo(digest);
        assertThat(api.get("/api/v1/modules").json().valueStream().map(m -> m.path("digest").asString()))
                .contains(digest);

        Response content = api.get("/api/v1/modules/" + encoded + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.bytes()).isEqualTo(wasm("hello.wasm"));
        assertThat(content.headers().getContentType()).isEqualTo(WASM);
        assertThat(content.headers().getETag()).isEqualTo("\"" + digest + "\"");
        assertThat(api.get("/api/v1/modules/" + digest + "/content",
                Map.of(HttpHeaders.IF_NONE_MATCH, "\"" + digest + "\"")).status()).isEqualTo(304);
    }

    @Test
    void aNodeCredentialFetchesContentButNothingElse() {
        String digest = upload(wasm("hello.wasm"), "").json().path("digest").asString();
        TestApi nodes = new TestApi(port, json);
        nodes.register("content-1", Map.of(), 1, 64);
        ApiClient node = api.as(nodes.credential("content-1"));

        assertThat(node.get("/api/v1/modules/" + digest + "/content").bytes()).isEqualTo(wasm("hello.wasm"));
        assertThat(node.get("/api/v1/modules/" + digest).status()).isEqualTo(403);
        assertThat(node.delete("/api/v1/modules/" + digest).status()).isEqualTo(403);
        assertThat(node.send(HttpMethod.POST, "/api/v1/modules", WASM, wasm("add.wasm"), Map.of()).status()).isEqualTo(403);
    }

    @Test
    void unknownOrMalformedDigestIs404() {
        assertThat(api.get("/api/v1/modules/sha256:" + "a".repeat(64)).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/modules/latest").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/modules/sha256:" + "a".repeat(64)).status()).isEqualTo(404);
    }

    @Test
    void invalidModulesAre400WithTheParsersReasonAndNotStored() {
        int before = api.get("/api/v1/modules").json().size();

        Response illTyped = upload(wasm("ill-typed.wasm"), "");
        Response junk = upload("not wasm at all".getBytes(), "");
        Response empty = upload(new byte[0], "");

        assertThat(illTyped.status()).isEqualTo(400);
        assertThat(illTyped.json().path("detail").asString()).contains("type mismatch");
        assertThat(junk.status()).isEqualTo(400);
        assertThat(junk.json().path("detail").asString()).contains("magic header");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/modules").json().size()).isEqualTo(before);
    }

    @Test
    void oversizedUploadIs413() {
        Response r = upload(new byte[100 * 1024], "");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void oversizedChunkedUploadIs413WhileStreaming() throws Exception {
        byte[] big = new byte[200 * 1024];
        System.arraycopy(wasm("add.wasm"), 0, big, 0, 8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/modules"))
                .header("Authorization", "Bearer " + PlatformApiTest.ADMIN_TOKEN)
                .header("Content-Type", "application/wasm")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("at most 65536 bytes");
        }
    }

    @Test
    void deleteIs204ThenGone() {
        String digest = upload(unique(wasm("add.wasm")), "").json().path("digest").asString();
        assertThat(api.delete("/api/v1/modules/" + digest).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/modules/" + digest).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/modules/" + digest + "/content").status()).isEqualTo(404);
    }

    @Test
    void deleteRacingADeploymentThatStartsToUseItIs409NotA500() throws Exception {
        String digest = upload(unique(wasm("hello.wasm")), "").json().path("digest").asString();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("INSERT INTO deployments (id, namespace, name, current_revision, spec) VALUES (987654, 'race', 'r', 1, '{}')");
                s.execute("INSERT INTO revisions (deployment_id, revision, generation, spec, module_digest) VALUES (987654, 1, 1, '{}', '"
                        + digest + "')");
            }
            CompletableFuture<Response> delete = CompletableFuture.supplyAsync(() -> api.delete("/api/v1/modules/" + digest));
            await().until(() -> jdbc.sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock' AND query ILIKE 'delete from modules%'")
                    .query(Integer.class).single() > 0);
            other.commit();

            Response r = delete.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.json().path("detail").asString()).contains("taken into use");
        }
        assertThat(api.get("/api/v1/modules/" + digest).status()).isEqualTo(200);
    }

    @Test
    void applyRacingTheDeleteOfItsModuleIs422NotA500() throws Exception {
        String digest = upload(unique(wasm("hello.wasm")), "").json().path("digest").asString();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("DELETE FROM modules WHERE digest = '" + digest + "'");
            }
            CompletableFuture<Response> apply = CompletableFuture.supplyAsync(() -> api.json(HttpMethod.PUT,
                    "/api/v1/namespaces/race/deployments/gone", "{\"module\":\"" + digest + "\",\"job\":{}}"));
            await().until(() -> jdbc.sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock' AND query ILIKE 'insert into revisions%'")
                    .query(Integer.class).single() > 0);
            other.commit();

            Response r = apply.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.errorFields()).containsExactly("module");
        }
        assertThat(api.get("/api/v1/namespaces/race/deployments/gone").status()).isEqualTo(404);
    }

    @Test
    void deleteIs409WhileADeploymentUsesIt() {
        String digest = upload(wasm("hello.wasm"), "").json().path("digest").asString();
        Response put = api.json(HttpMethod.PUT, "/api/v1/namespaces/team-a/deployments/uses-it",
                "{\"module\":\"" + digest + "\",\"job\":{}}");
        assertThat(put.status()).as(put.body()).isEqualTo(201);

        Response r = api.delete("/api/v1/modules/" + digest);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("detail").asString()).contains("team-a/uses-it");
        assertThat(api.get("/api/v1/modules/" + digest).json().path("usedBy").toString()).isEqualTo("[\"team-a/uses-it\"]");

        assertThat(api.delete("/api/v1/namespaces/team-a/deployments/uses-it").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/modules/" + digest).json().path("usedBy").size()).isZero();
        Response stillReferenced = api.delete("/api/v1/modules/" + digest);
        assertThat(stillReferenced.status()).isEqualTo(409);
        assertThat(stillReferenced.json().path("detail").asString()).contains("still being deleted");
    }

    @Test
    void usedByNamesOnlyDeploymentsOfNamespacesTheCallerMayRead() {
        byte[] hello = unique(wasm("hello.wasm"));
        String digest = upload(hello, "").json().path("digest").asString();
        String mine = "mine-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String theirs = "theirs-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        for (String ns : new String[] {mine, theirs}) {
            Response put = api.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/deployments/web",
                    "{\"module\":\"" + digest + "\",\"job\":{}}");
            assertThat(put.status()).as(put.body()).isEqualTo(201);
        }
        ApiClient deployer = api.as(token("deployer", mine));
        ApiClient clusterViewer = api.as(token("viewer", null));

        assertThat(deployer.get("/api/v1/modules/" + digest).json().path("usedBy").toString())
                .isEqualTo("[\"" + mine + "/web\"]");
        assertThat(deployer.get("/api/v1/modules").json().valueStream()
                .filter(m -> m.path("digest").asString().equals(digest)).findFirst().orElseThrow()
                .path("usedBy").toString()).isEqualTo("[\"" + mine + "/web\"]");
        Response again = deployer.send(HttpMethod.POST, "/api/v1/modules", WASM, hello, Map.of());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("usedBy").toString()).isEqualTo("[\"" + mine + "/web\"]");
        assertThat(clusterViewer.get("/api/v1/modules/" + digest).json().path("usedBy").size()).isEqualTo(2);
        assertThat(api.get("/api/v1/modules/" + digest).json().path("usedBy").size()).isEqualTo(2);
    }

    /** A token with one grant ({@code namespace} null: cluster-wide). */
    private String token(String role, String namespace) {
        Response r = api.json(HttpMethod.POST, "/api/v1/tokens", "{\"name\":\"" + role + "-" + namespace
                + "\",\"grants\":[{\"role\":\"" + role + "\",\"namespace\":"
                + (namespace == null ? "null" : "\"" + namespace + "\"") + "}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("token").asString();
    }
}
