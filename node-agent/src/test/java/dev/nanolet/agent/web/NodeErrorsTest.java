package dev.nanolet.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.AgentTestBase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error of the node's own HTTP surface ({@code /_nanolet/…}, {@code /actuator/…}) is problem+json, as the logs
 * endpoint's and the data plane's own answers are: an unknown path, a wrong method or an unreadable {@code Accept}
 * got Spring's default error JSON ({@code timestamp}, {@code path}, {@code error}, {@code requestId}).
 */
class NodeErrorsTest extends AgentTestBase {
    @Autowired
    JsonMapper json;

    private JsonNode problem(WebTestClient.ResponseSpec answer, HttpStatus status) {
        String body = answer.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode problem = json.readTree(body);
        assertThat(problem.get("status").asInt()).as(body).isEqualTo(status.value());
        assertThat(problem.get("title").asString()).as(body).isEqualTo(status.getReasonPhrase());
        assertThat(problem.has("timestamp")).as(body).isFalse();
        return problem;
    }

    @Test
    void anUnknownPathOfTheNodeIs404Problem() {
        for (String path : new String[] {"/_nanolet/v1/nothing", "/_nanolet/", "/actuator/nothing"}) {
            JsonNode p = problem(client().get().uri(path).exchange(), HttpStatus.NOT_FOUND);
            assertThat(p.get("detail").asString()).as(path).isEqualTo("the node has no endpoint " + path);
            assertThat(p.get("instance").asString()).isEqualTo(path);
        }
    }

    @Test
    void aWrongMethodOnTheLogsEndpointIs405ProblemNamingGet() {
        String path = "/_nanolet/v1/replicas/" + UUID.randomUUID() + "/logs";
        for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.DELETE}) {
            var answer = client().method(method).uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
                    .exchange().expectHeader().valueEquals("Allow", "GET");
            assertThat(problem(answer, HttpStatus.METHOD_NOT_ALLOWED).get("detail").asString())
                    .isEqualTo(method.name() + " is not allowed on " + path + "; GET is");
        }
    }

    @Test
    void anAcceptTheMetricsCannotAnswerIs406Problem() {
        JsonNode p = problem(client().get().uri("/actuator/prometheus").accept(MediaType.IMAGE_PNG).exchange(),
                HttpStatus.NOT_ACCEPTABLE);
        assertThat(p.get("detail").asString()).startsWith("Acceptable representations: [text/plain");
    }
}
