package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.wire.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * A body with several values of the wrong type names each by its JSON path, as a 422 names every invalid field: Jackson
 * stopped at the first, so a client fixed one value per request. A hostile body of 100,000 such values is answered
 * with the first 20 named and the others counted, up to a bound.
 */
@PlatformApiTest
class WrongValuesTest {
    private static final String URL = "/api/v1/namespaces/default/deployments/wrong-values";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    @Test
    void everyWrongValueOfABodyIsNamedNestedOnesAndNullsInArraysToo() {
        Response r = admin.json(HttpMethod.PUT, URL, """
                {"module": "m", "replicas": "two", "args": [1, "ok", true, null, 2], "limits": {"memoryMiB": "big", "timeoutMs": 5},
                 "job": {"restartPolicy": 1}, "http": "/x", "env": {"A": "a", "PORT": 8080}}""");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("errors").valueStream().map(e -> e.path("field").asString() + ": " + e.path("message").asString()))
                .containsExactly("replicas: must be a whole number",
                        "args[0]: " + JsonInputRules.QUOTE_IT,
                        "args[2]: " + JsonInputRules.QUOTE_IT,
                        "args[3]: must not be null",
                        "args[4]: " + JsonInputRules.QUOTE_IT, // after a null: the array was read no further
                        "limits.memoryMiB: must be a whole number",
                        "job.restartPolicy: must be one of Never, OnFailure",
                        "http: must be an object",
                        "env.PORT: " + JsonInputRules.QUOTE_IT);
        assertThat(r.json().path("detail").asString())
                .isEqualTo("replicas: must be a whole number (and 8 more values of the wrong type, each named in errors)");
        assertThat(r.json().has("moreErrors")).isFalse();
        assertThat(admin.get(URL).status()).as("nothing written").isEqualTo(404);
    }

    @Test
    void oneWrongValueIsAnsweredAsBefore() {
        Response r = admin.json(HttpMethod.PUT, URL, "{\"module\": \"m\", \"limits\": {\"memoryMiB\": 1.5}}");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("limits.memoryMiB");
        assertThat(r.json().path("detail").asString()).isEqualTo("limits.memoryMiB: must be a whole number");
    }

    @Test
    void aHostileBodyOfManyWrongValuesIsAnsweredWithTheFirstNamedAndTheRestCounted() {
        String many = IntStream.range(0, 100_000).mapToObj(i -> "1").collect(Collectors.joining(",", "[", "]"));
        String some = IntStream.range(0, 25).mapToObj(i -> "1").collect(Collectors.joining(",", "[", "]"));

        Response hostile = put("{\"module\": \"m\", \"args\": " + many + "}");
        Response several = put("{\"module\": \"m\", \"args\": " + some + "}");

        assertNamesTheFirst20AndCountsTo1000(hostile, 400, "args[0]", "args[19]", "values of the wrong type");
        assertThat(several.errorFields()).hasSize(WrongValues.NAMED);
        assertThat(several.json().path("moreErrors").asInt()).isEqualTo(5);
        assertThat(several.json().path("detail").asString()).endsWith("(and 24 more values of the wrong type, the first 20 in all"
                + " named in errors)");
    }

    /**
     * Unknown fields are named with the wrong values, in one 400: an object's unknown fields once that object was read,
     * after its other values. Before, reading stopped at the first unknown field, so one in an object read before any
     * wrong value was answered alone, 422, and the wrong values after it went unnamed (seen failing so).
     */
    @Test
    void unknownFieldsAreNamedWithTheWrongValuesInTheir400() {
        Response after = put("{\"module\": \"m\", \"replicas\": \"two\", \"limits\": {\"memoryMiB\": \"big\"}, \"replica\": 3}");
        Response sameObject = put("{\"module\": \"m\", \"replica\": 3, \"replicas\": \"two\"}");
        Response before = put("{\"module\": \"m\", \"limits\": {\"memoryMib\": 1}, \"replicas\": \"two\"}");

        assertThat(after.status()).as(after.body()).isEqualTo(400);
        assertThat(after.json().path("errors").valueStream().map(e -> e.path("field").asString() + ": " + e.path("message").asString()))
                .containsExactly("replicas: must be a whole number", "limits.memoryMiB: must be a whole number",
                        "replica: is not a known field; known here: args, bindings, env, http, job, limits, module, nodeSelector, "
                                + "progressDeadlineSeconds, replicas, secretEnv, volumes");
        assertThat(after.json().path("detail").asString()).isEqualTo("replicas: must be a whole number (and 2 more values of the"
                + " wrong type or unknown fields, each named in errors)");
        assertThat(sameObject.status()).as(sameObject.body()).isEqualTo(400);
        assertThat(sameObject.errorFields()).containsExactly("replicas", "replica");
        assertThat(before.status()).as(before.body()).isEqualTo(400);
        assertThat(before.errorFields()).containsExactly("limits.memoryMib", "replicas");
    }

    /**
     * A body whose only faults are unknown fields is a 422, as one always was, naming each (nested ones and those of an
     * array's objects by their path; an object's once it was read, so a nested object's before those of what holds it): before, only the first was named, so a client that misspelt three keys fixed one
     * per request (seen failing so).
     */
    @Test
    void everyUnknownFieldOfABodyIsNamedIn422() {
        Response r = put("""
                {"module": "m", "replica": 3, "limits": {"memoryMib": 64, "timeoutMs": 5},
                 "volumes": [{"name": "v", "mountPath": "/v", "sizeMib": 1}], "nodeSelectors": {}}""");

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("title").asString()).isEqualTo("Invalid input");
        assertThat(r.errorFields()).containsExactly("limits.memoryMib", "volumes[0].sizeMib", "replica", "nodeSelectors");
        assertThat(r.json().path("detail").asString())
                .startsWith("limits.memoryMib: is not a known field; known here: maxConcurrency, memoryMiB, timeoutMs (and 3 more")
                .endsWith("(and 3 more unknown fields, each named in errors)");
        assertThat(r.json().has("moreErrors")).isFalse();
        assertThat(put("{\"module\": \"m\", \"replica\": 3}").json().path("detail").asString()).as("one, as before")
                .isEqualTo("replica: is not a known field; known here: args, bindings, env, http, job, limits, module, nodeSelector, "
                        + "progressDeadlineSeconds, replicas, secretEnv, volumes");
    }

    /** Unknown fields share the wrong values' bound: 20 named, the others counted, reading stopped at 1,000. */
    @Test
    void aHostileBodyOfManyUnknownFieldsIsAnsweredWithTheFirstNamedAndTheRestCounted() {
        String many = IntStream.range(0, 5_000).mapToObj(i -> "\"f" + i + "\": 1").collect(Collectors.joining(", "));
        String some = IntStream.range(0, 25).mapToObj(i -> "\"f" + i + "\": 1").collect(Collectors.joining(", "));

        Response hostile = put("{\"module\": \"m\", " + many + "}");
        Response several = put("{\"module\": \"m\", \"replicas\": \"two\", " + some + "}");

        assertNamesTheFirst20AndCountsTo1000(hostile, 422, "f0", "f19", "unknown fields");
        assertThat(several.status()).as(several.body()).isEqualTo(400);
        assertThat(several.errorFields()).as("never 21 entries, as one unknown field after 20 wrong values made")
                .hasSize(WrongValues.NAMED).startsWith("replicas", "f0").endsWith("f18");
        assertThat(several.json().path("moreErrors").asInt()).isEqualTo(6);
    }

    /** A client reading the answer as the wire record, as the CLI and the dashboard do, gets the count of those not named. */
    @Test
    void theWireProblemCarriesHowManyMoreThereAre() {
        String some = IntStream.range(0, 25).mapToObj(i -> "1").collect(Collectors.joining(",", "[", "]"));

        Problem several = JSON.readValue(put("{\"module\": \"m\", \"args\": " + some + "}").body(), Problem.class);
        Problem one = JSON.readValue(put("{\"module\": \"m\", \"args\": [1]}").body(), Problem.class);

        assertThat(several.status()).isEqualTo(400);
        assertThat(several.errors()).hasSize(WrongValues.NAMED);
        assertThat(several.moreErrors()).isEqualTo(5);
        assertThat(one.errors()).extracting(Problem.FieldError::field).containsExactly("args[0]");
        assertThat(one.moreErrors()).isNull();
    }

    @Test
    void aManifestNamesEveryWrongValueOfEachDocumentsSpec() {
        Response r = admin.send(HttpMethod.POST, "/api/v1/apply", MediaType.parseMediaType("application/yaml"), """
                {apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: a, namespace: default},
                 spec: {module: m, replicas: two, env: {PORT: 8080}}}
                ---
                {apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: b, namespace: default},
                 spec: {module: m, limits: {memoryMiB: big}, job: {restartPolicy: 1}}}
                """.getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("documents[0].spec.replicas", "documents[0].spec.env.PORT",
                "documents[1].spec.limits.memoryMiB", "documents[1].spec.job.restartPolicy");
    }

    /**
     * A manifest's document names an unknown field of its {@code spec} after its wrong values, and alone, with one message,
     * the fields there are, as a deployment's own body does. Seen failing before: alone it said only "is not a known field".
     */
    @Test
    void aManifestNamesAnUnknownFieldOfASpecAsADeploymentsBodyDoes() {
        Response r = admin.send(HttpMethod.POST, "/api/v1/apply", MediaType.parseMediaType("application/yaml"), """
                {apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: a, namespace: default},
                 spec: {module: m, replicas: two, replica: 3}}
                ---
                {apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: b, namespace: default},
                 spec: {module: m, replica: 3, limits: {memoryMib: 1}}}
                """.getBytes(StandardCharsets.UTF_8), Map.of());

        String known = "is not a known field; known here: args, bindings, env, http, job, limits, module, nodeSelector, "
                + "progressDeadlineSeconds, replicas, secretEnv, volumes";
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("errors").valueStream().map(e -> e.path("field").asString() + ": " + e.path("message").asString()))
                .containsExactly("documents[0].spec.replicas: must be a whole number",
                        "documents[0].spec.replica: " + known,
                        "documents[1].spec.limits.memoryMib: is not a known field; known here: maxConcurrency, memoryMiB, timeoutMs",
                        "documents[1].spec.replica: " + known);
    }

    /** A hostile body's answer: the first 20 named, {@code first} to {@code last}, the others counted up to 1,000. */
    private static void assertNamesTheFirst20AndCountsTo1000(Response hostile, int status, String first, String last, String kinds) {
        assertThat(hostile.status()).as(hostile.body()).isEqualTo(status);
        assertThat(hostile.errorFields()).hasSize(WrongValues.NAMED).startsWith(first).endsWith(last);
        assertThat(hostile.json().path("moreErrors").asInt()).isEqualTo(WrongValues.COUNTED - WrongValues.NAMED);
        assertThat(hostile.json().path("detail").asString()).endsWith("(and at least 999 more " + kinds + ", the first 20 in all"
                + " named in errors)");
    }

    private Response put(String body) {
        return admin.json(HttpMethod.PUT, URL, body);
    }
}
