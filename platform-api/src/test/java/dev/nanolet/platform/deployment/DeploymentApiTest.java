package dev.nanolet.platform.deployment;

import static dev.nanolet.platform.ApiClient.unique;
import static dev.nanolet.platform.ApiClient.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.platform.TestDeployments;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Apply, read, scale, roll back and delete deployments over real HTTP against real PostgreSQL. */
@PlatformApiTest
class DeploymentApiTest {
    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    ApiClient api;
    String hello;
    String other;
    String name;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
        hello = upload(wasm("hello.wasm"));
        other = upload(unique(wasm("hello.wasm")));
        name = "d-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String upload(byte[] module) {
        return api.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("application/wasm"), module, Map.of())
                .json().path("digest").asString();
    }

    String path() {
        return "/api/v1/namespaces/team-a/deployments/" + name;
    }

    String httpSpec(String module, int replicas) {
        return "{\"module\":\"" + module + "\",\"http\":{\"path\":\"/" + name + "\"},\"replicas\":" + replicas
                + ",\"env\":{\"GREETING\":\"hi\"},\"limits\":{\"memoryMiB\":32}}";
    }

    Response put(String spec) {
        return api.json(HttpMethod.PUT, path(), spec);
    }

    @Test
    void createAnswers201WithSpecAndComputedStatus() {
        Response r = put(httpSpec(hello, 2));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode d = r.json();
        assertThat(d.path("namespace").asString()).isEqualTo("team-a");
        assertThat(d.path("name").asString()).isEqualTo(name);
        assertThat(d.path("generation").asLong()).isEqualTo(1);
        assertThat(d.path("revision").asInt()).isEqualTo(1);
        assertThat(d.path("spec").path("module").asString()).isEqualTo(hello);
        assertThat(d.path("spec").path("limits").path("memoryMiB").asInt()).isEqualTo(32);
        assertThat(d.path("spec").path("limits").path("timeoutMs").asInt()).isEqualTo(10_000);
        assertThat(d.path("spec").has("servesHttp")).isFalse();
        assertThat(d.path("status").path("replicas").asInt()).isEqualTo(2);
        assertThat(d.path("status").path("available").asInt()).isZero();
        assertThat(d.path("status").path("conditions").get(0).path("reason").asString()).isEqualTo("ReplicasUnavailable");
        assertThat(d.path("createdAt").asString()).isNotBlank();
        assertThat(api.get(path()).json()).isEqualTo(d);
    }

    @Test
    void identicalPutChangesNothing() {
        put(httpSpec(hello, 2));
        Response again = put(httpSpec(hello, 2));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("generation").asLong()).isEqualTo(1);
        assertThat(again.json().path("revision").asInt()).isEqualTo(1);
        assertThat(api.get(path() + "/revisions").json().size()).isEqualTo(1);
    }

    @Test
    void changedSpecBumpsGenerationAndMakesARevision() {
        put(httpSpec(hello, 2));
        Response changed = put(httpSpec(other, 2));

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("generation").asLong()).isEqualTo(2);
        assertThat(changed.json().path("revision").asInt()).isEqualTo(2);
        JsonNode revisions = api.get(path() + "/revisions").json();
        assertThat(revisions.valueStream().map(r -> r.path("revision").asInt())).containsExactly(2, 1);
        assertThat(revisions.get(0).path("current").asBoolean()).isTrue();
        assertThat(revisions.get(1).path("spec").path("module").asString()).isEqualTo(hello);
    }

    @Test
    void replicaCountChangeBumpsGenerationWithoutARevision() {
        put(httpSpec(hello, 2));

        Response viaPut = put(httpSpec(hello, 3));
        Response viaScale = api.json(HttpMethod.PUT, path() + "/scale", "{\"replicas\":5}");

        assertThat(viaPut.json().path("generation").asLong()).isEqualTo(2);
        assertThat(viaScale.status()).isEqualTo(200);
        assertThat(viaScale.json().path("generation").asLong()).isEqualTo(3);
        assertThat(viaScale.json().path("revision").asInt()).isEqualTo(1);
        assertThat(viaScale.json().path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(api.get(path() + "/revisions").json().size()).isEqualTo(1);
        assertThat(api.json(HttpMethod.PUT, path() + "/scale", "{\"replicas\":5}").json().path("generation").asLong())
                .isEqualTo(3);
    }

    @Test
    void badScaleIs422AndChangesNothing() {
        put(httpSpec(hello, 2));

        Response negative = api.json(HttpMethod.PUT, path() + "/scale", "{\"replicas\":-1}");
        Response missing = api.json(HttpMethod.PUT, path() + "/scale", "{}");

        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.errorFields()).containsExactly("replicas");
        assertThat(missing.errorFields()).containsExactly("replicas");
        assertThat(api.json(HttpMethod.PUT, path() + "/scale", "").errorFields()).containsExactly("replicas");
        assertThat(api.json(HttpMethod.PUT, path() + "/scale", "null").errorFields()).containsExactly("replicas");
        assertThat(api.get(path()).json().path("generation").asLong()).isEqualTo(1);
        assertThat(api.json(HttpMethod.PUT, "/api/v1/namespaces/team-a/deployments/nope/scale", "{\"replicas\":1}")
                .status()).isEqualTo(404);
    }

    @Test
    void rollbackMakesAnOldSpecCurrentAsANewRevision() {
        put(httpSpec(hello, 2));
        put(httpSpec(other, 2));
        api.json(HttpMethod.PUT, path() + "/scale", "{\"replicas\":4}");

        Response r = api.json(HttpMethod.POST, path() + "/rollback", "{\"revision\":1}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("revision").asInt()).isEqualTo(3);
        assertThat(r.json().path("generation").asLong()).isEqualTo(4);
        assertThat(r.json().path("spec").path("module").asString()).isEqualTo(hello);
        assertThat(r.json().path("spec").path("replicas").asInt()).isEqualTo(4);
        assertThat(api.get(path() + "/revisions").json().get(0).path("generation").asLong()).isEqualTo(4);
        assertThat(api.json(HttpMethod.POST, path() + "/rollback", "{\"revision\":3}").json().path("generation").asLong())
                .isEqualTo(4);
    }

    @Test
    void rollbackToAnUnknownRevisionIs422() {
        put(httpSpec(hello, 2));

        Response r = api.json(HttpMethod.POST, path() + "/rollback", "{\"revision\":9}");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("revision");
        assertThat(api.json(HttpMethod.POST, path() + "/rollback", "{}").errorFields()).containsExactly("revision");
        assertThat(api.json(HttpMethod.POST, path() + "/rollback", "").errorFields()).containsExactly("revision");
        assertThat(api.get(path()).json().path("generation").asLong()).isEqualTo(1);
    }

    @Test
    void everyViolationIsNamedAndStateStaysIntact() {
        put(httpSpec(hello, 2));

        Response r = put("{\"module\":\"sha256:" + "0".repeat(64) + "\",\"http\":{\"path\":\"nope\"},\"job\":{},"
                + "\"replicas\":-1,\"limits\":{\"memoryMiB\":0,\"timeoutMs\":0,\"maxConcurrency\":1001},"
                + "\"env\":{\"no-dashes\":\"x\"}}");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(r.errorFields()).containsExactlyInAnyOrder("module", "job", "replicas", "limits.memoryMiB",
                "limits.timeoutMs", "limits.maxConcurrency", "env.no-dashes");
        JsonNode after = api.get(path()).json();
        assertThat(after.path("generation").asLong()).isEqualTo(1);
        assertThat(after.path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void badHttpPathAndMissingWorkloadAreNamed() {
        assertThat(put("{\"module\":\"" + hello + "\",\"http\":{\"path\":\"hello\"}}").errorFields())
                .containsExactly("http.path");
        assertThat(put("{\"module\":\"" + hello + "\"}").errorFields()).containsExactly("http");
        assertThat(put("{\"http\":{\"path\":\"/x\"}}").errorFields()).containsExactly("module");
        assertThat(api.get(path()).status()).isEqualTo(404);
    }

    @Test
    void badNamesAre422() {
        Response r = api.json(HttpMethod.PUT, "/api/v1/namespaces/Team_A/deployments/-bad", httpSpec(hello, 1));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("namespace", "name");
    }

    @Test
    void malformedOrMistypedJsonIs400NamingTheField() {
        assertThat(put("{\"module\":").status()).isEqualTo(400);
        Response mistyped = put("{\"module\":\"" + hello + "\",\"job\":{\"restartPolicy\":\"Sometimes\"}}");
        assertThat(mistyped.status()).isEqualTo(400);
        assertThat(mistyped.errorFields()).containsExactly("job.restartPolicy");
        assertThat(put("{\"module\":\"" + hello + "\",\"job\":{},\"replicas\":\"two\"}").errorFields())
                .containsExactly("replicas");
    }

    @Test
    void httpPathIsUniqueAmongLiveDeployments() {
        put(httpSpec(hello, 1));
        String first = name;
        name = name + "-b";

        Response clash = api.json(HttpMethod.PUT, path(), httpSpec(hello, 1).replace("/" + name + "\"", "/" + first + "\""));

        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(clash.json().path("detail").asString()).contains("/" + first, "team-a/" + first);
        assertThat(clash.errorFields()).containsExactly("http.path");
        assertThat(api.get(path()).status()).isEqualTo(404);
    }

    @Test
    void everySpellingOfATakenRouteIs409NamingTheOwner() {
        put(httpSpec(hello, 1));
        String first = name;
        name = name + "-b";
        String owner = "/" + first;

        for (String spelling : new String[] {owner + "/", "/" + owner, owner + "//", "/%" + Integer.toHexString(first.charAt(0)) + first.substring(1)}) {
            Response clash = api.json(HttpMethod.PUT, path(), httpSpec(hello, 1).replace("/" + name + "\"", spelling + "\""));
            assertThat(clash.status()).as(spelling).isEqualTo(409);
            assertThat(clash.json().path("detail").asString()).as(spelling).contains("team-a/" + first);
        }
        assertThat(api.get(path()).status()).isEqualTo(404);
    }

    Response putIn(String namespace, String deployment, String routePath) {
        return api.json(HttpMethod.PUT, "/api/v1/namespaces/" + namespace + "/deployments/" + deployment,
                httpSpec(hello, 1).replace("/" + name + "\"", routePath + "\""));
    }

    @Test
    void aRouteAtOrUnderAnotherNamespacesRouteIs409NamingTheOwner() {
        put(httpSpec(hello, 1));
        String owner = "/" + name;

        for (String taken : new String[] {owner + "/admin", owner + "//admin/settings/", owner + "/%61dmin"}) {
            Response clash = putIn("team-b", name, taken);
            assertThat(clash.status()).as(taken).isEqualTo(409);
            assertThat(clash.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(clash.errorFields()).as(taken).containsExactly("http.path");
            assertThat(clash.json().path("detail").asString()).as(taken).contains(" is under " + owner, "team-a/" + name);
        }
        assertThat(putIn("team-b", name, "/").status()).as("/ is above every route").isEqualTo(409);
        assertThat(api.get("/api/v1/namespaces/team-b/deployments/" + name).status()).isEqualTo(404);

        Response neighbour = putIn("team-b", name, owner + "x/admin");
        assertThat(neighbour.status()).as("a route is a prefix on whole segments only: " + neighbour.body()).isEqualTo(201);
        assertThat(putIn("team-b", name, owner + "/admin").status()).as("nor may a route move under it").isEqualTo(409);
        assertThat(api.get("/api/v1/namespaces/team-b/deployments/" + name).json().path("spec").path("http").path("path").asString())
                .isEqualTo(owner + "x/admin");
    }

    /**
     * The 409 names the owner only to a caller who may read its namespace: before, any deployer learnt the namespace and
     * name of whatever deployment served a route (and so, route by route, other tenants' deployments), on a write, a dry
     * run, an apply and a diff alike.
     */
    @Test
    void aRouteClashNamesTheOwnerOnlyToACallerWhoMayReadItsNamespace() {
        put(httpSpec(hello, 1));
        Response token = api.json(HttpMethod.POST, "/api/v1/tokens",
                "{\"name\":\"team-b\",\"grants\":[{\"role\":\"deployer\",\"namespace\":\"team-b\"}]}");
        ApiClient teamB = api.as(token.json().path("token").asString());
        String spec = httpSpec(hello, 1).replace("/" + name + "\"", "/" + name + "/admin\"");
        String document = "apiVersion: nanolet.dev/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: team-b}\n"
                + "spec: {module: \"" + hello + "\", http: {path: /" + name + "}}\n";

        for (Response clash : List.of(
                teamB.json(HttpMethod.PUT, "/api/v1/namespaces/team-b/deployments/" + name, spec),
                teamB.json(HttpMethod.PUT, "/api/v1/namespaces/team-b/deployments/" + name + "?dryRun=All", spec),
                teamB.send(HttpMethod.POST, "/api/v1/apply", MediaType.parseMediaType("application/yaml"),
                        document.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of()),
                teamB.send(HttpMethod.POST, "/api/v1/diff", MediaType.parseMediaType("application/yaml"),
                        document.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of()))) {
            assertThat(clash.status()).as(clash.body()).isEqualTo(409);
            assertThat(clash.body()).contains("a deployment of another namespace").doesNotContain("team-a");
        }
        assertThat(api.json(HttpMethod.PUT, "/api/v1/namespaces/team-b/deployments/" + name, spec).json().path("detail").asString())
                .contains("deployment team-a/" + name + " of another namespace");
    }

    @Test
    void aRouteAboveAnotherNamespacesRouteIs409ButOneNamespaceMaySplitItsOwn() {
        String owner = "/" + name;
        assertThat(putIn("team-a", name + "-api", owner + "/api").status()).isEqualTo(201);

        Response above = putIn("team-b", name, owner);
        assertThat(above.status()).isEqualTo(409);
        assertThat(above.errorFields()).containsExactly("http.path");
        assertThat(above.json().path("detail").asString()).contains(owner + " is above " + owner + "/api", "team-a/" + name + "-api");

        Response split = put(httpSpec(hello, 1));
        assertThat(split.status()).as("the same namespace may serve a route above its own: " + split.body()).isEqualTo(201);
        assertThat(putIn("team-a", name + "-admin", owner + "/api/admin").status()).isEqualTo(201);
    }

    /**
     * Routes stored before the prefix rule may overlap across namespaces (seeded here past the API): their owners
     * still update, dry-run and roll back, since a route that does not move is not checked again; a move is.
     */
    @Test
    void overlappingRoutesFromBeforeTheRuleStayUsableUntilTheyMove() {
        String owner = "/" + name;
        put(httpSpec(hello, 1));
        put(httpSpec(other, 1));
        new TestDeployments(jdbc, json).create("team-b", name, TestDeployments.http(owner + "/api", 1));

        Response update = put(httpSpec(hello, 1).replace("\"hi\"", "\"hey\""));
        assertThat(update.status()).as("a new revision on the same route: " + update.body()).isEqualTo(200);
        assertThat(api.json(HttpMethod.PUT, path() + "?dryRun=All", httpSpec(other, 0)).status())
                .as("a dry run of a new revision, with no replica to place").isEqualTo(200);
        Response rollback = api.json(HttpMethod.POST, path() + "/rollback", "{\"revision\":2}");
        assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
        assertThat(putIn("team-b", name, owner + "/api").status()).as("the other owner, too").isEqualTo(200);

        Response moveUnder = putIn("team-a", name, owner + "/api/v2");
        assertThat(moveUnder.status()).as(moveUnder.body()).isEqualTo(409);
        assertThat(moveUnder.json().path("detail").asString()).contains("team-b/" + name);
        assertThat(putIn("team-b", name, owner + "/web").status()).as("nor the other way").isEqualTo(409);
        assertThat(api.get(path()).json().path("spec").path("http").path("path").asString()).isEqualTo(owner);
    }

    @Test
    void theRoutePathIsStoredCanonicalAndEncodedSlashesOrDotSegmentsAre422() {
        Response created = put(httpSpec(hello, 1).replace("/" + name + "\"", "//" + name + "/%7Ex/\""));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("spec").path("http").path("path").asString()).isEqualTo("/" + name + "/~x");
        assertThat(put(httpSpec(hello, 1).replace("/" + name + "\"", "/" + name + "/~x\"")).json().path("generation").asLong())
                .as("the same route spelled canonically changes nothing").isEqualTo(1);

        for (String bad : new String[] {"/a%2Fb", "/a/../b", "/./a", "/a%5Cb", "//_nanolet/x", "/%5Fnanolet"}) {
            Response r = api.json(HttpMethod.PUT, "/api/v1/namespaces/team-a/deployments/" + name + "-x",
                    httpSpec(hello, 1).replace("/" + name + "\"", bad + "\""));
            assertThat(r.status()).as(bad).isEqualTo(422);
            assertThat(r.errorFields()).as(bad).containsExactly("http.path");
        }
    }

    @Test
    void jobsNeedNoPath() {
        Response r = put("{\"module\":\"" + hello + "\",\"job\":{\"restartPolicy\":\"OnFailure\"},\"args\":[\"a\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("spec").path("job").path("restartPolicy").asString()).isEqualTo("OnFailure");
        assertThat(r.json().path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void listsPerNamespaceAndAcrossNamespaces() {
        put(httpSpec(hello, 1));
        Response elsewhere = api.json(HttpMethod.PUT, "/api/v1/namespaces/team-b/deployments/" + name,
                "{\"module\":\"" + hello + "\",\"job\":{}}");
        assertThat(elsewhere.status()).isEqualTo(201);

        assertThat(api.get("/api/v1/namespaces/team-b/deployments").json().valueStream()
                .map(d -> d.path("namespace").asString() + "/" + d.path("name").asString())).contains("team-b/" + name)
                .doesNotContain("team-a/" + name);
        assertThat(api.get("/api/v1/deployments").json().valueStream()
                .map(d -> d.path("namespace").asString() + "/" + d.path("name").asString()))
                .contains("team-a/" + name, "team-b/" + name);
        assertThat(api.get("/api/v1/namespaces/empty/deployments").json().size()).isZero();
    }

    @Test
    void deleteHidesTheDeploymentAndTheNameCanBeUsedAgain() {
        put(httpSpec(hello, 2));
        put(httpSpec(other, 2));

        assertThat(api.delete(path()).status()).isEqualTo(204);
        assertThat(api.get(path()).status()).isEqualTo(404);
        assertThat(api.get(path() + "/revisions").status()).isEqualTo(404);
        assertThat(api.delete(path()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/deployments").body()).doesNotContain(name);

        Response again = put(httpSpec(hello, 1));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("generation").asLong()).isEqualTo(1);
        assertThat(api.get(path() + "/revisions").json().size()).isEqualTo(1);
    }

    @Test
    void unknownDeploymentIs404Everywhere() {
        for (String sub : new String[] {"", "/revisions", "/replicas", "/events", "/metrics", "/logs?follow=false"}) {
            Response r = api.get(path() + sub);
            assertThat(r.status()).as(sub).isEqualTo(404);
            assertThat(r.json().path("detail").asString()).as(sub).isEqualTo("no deployment team-a/" + name);
        }
        assertThat(api.json(HttpMethod.POST, path() + "/rollback", "{\"revision\":1}").status()).isEqualTo(404);
    }

    @Test
    void eventsSayWhatHappenedNewestFirst() {
        put(httpSpec(hello, 1));
        api.json(HttpMethod.PUT, path() + "/scale", "{\"replicas\":3}");

        JsonNode events = api.get(path() + "/events").json();
        assertThat(events.valueStream().map(e -> e.path("reason").asString())).containsExactly("Scaled", "Created");
        assertThat(events.get(0).path("type").asString()).isEqualTo("Normal");
        assertThat(events.get(0).path("object").asString()).isEqualTo("deployment/team-a/" + name);
        assertThat(api.get(path() + "/events?limit=1").json().size()).isEqualTo(1);
        assertThat(api.get(path() + "/events?limit=0").errorFields()).containsExactly("limit");

        JsonNode all = api.get("/api/v1/events?limit=2").json();
        assertThat(all.size()).isEqualTo(2);
        assertThat(all.get(0).path("id").asLong()).isGreaterThan(all.get(1).path("id").asLong());
        assertThat(api.get("/api/v1/events?type=Normal").json().valueStream().map(e -> e.path("type").asString()))
                .containsOnly("Normal");
        assertThat(api.get("/api/v1/events?type=Warning").json().valueStream().map(e -> e.path("type").asString()))
                .allMatch("Warning"::equals);
        assertThat(api.get("/api/v1/events?type=Loud").errorFields()).containsExactly("type");
    }
}
