package dev.nanolet.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.wire.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A node's problem+json leaves {@code moreErrors} out when it has none: every 4xx a node answered carried it as null. */
class ProblemJsonTest extends AgentTestBase {
    @Autowired
    JsonMapper json;

    @Test
    void aNodes4xxHasNoMoreErrorsMember() {
        String body = client().get().uri("/_nanolet/v1/replicas/" + java.util.UUID.randomUUID() + "/logs").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode problem = json.readTree(body);
        assertThat(problem.has("moreErrors")).as(body).isFalse();
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asString()).contains("logs token");
    }

    @Test
    void aProblemThatCountsMoreErrorsKeepsThem() {
        Problem counted = new Problem("about:blank", "Bad Request", 400, "a: wrong, and 3 more", "/x",
                List.of(new Problem.FieldError("a", "wrong")), 3);
        JsonNode written = json.readTree(json.writeValueAsString(counted));
        assertThat(written.get("moreErrors").asInt()).isEqualTo(3);
        assertThat(written.get("errors").get(0).get("field").asString()).isEqualTo("a");
    }
}
