package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which env names of a pod the node sets per request: the CGI meta-variables and header variables, for HTTP pods only. */
class ShadowedEnvTest {

    private static Assignment pod(DeploymentSpec.HttpSpec http, Map<String, String> env) {
        DeploymentSpec spec = new DeploymentSpec("r.example/web:v1", http, null, 1, List.of(), env, null, null);
        return new Assignment(UUID.randomUUID(), "default", "web", 1, spec.module(), 0, spec, false);
    }

    @Test
    void theMetaVariablesAndHeaderVariablesOfAnHttpPodAreNamedButNotOtherNames() {
        Map<String, String> env = Map.of("PATH_INFO", "/x", "HTTP_COOKIE", "c", "HTTP_PROXY", "p", "HTTP_", "e", "http_cookie", "l",
                "PLAIN", "v");

        assertThat(ShadowedEnv.of(pod(new DeploymentSpec.HttpSpec("/web"), env))).containsExactly("HTTP_COOKIE", "PATH_INFO");
        assertThat(ShadowedEnv.of(pod(null, env))).isEmpty();
    }

    @Test
    void theMessageSaysWhichValueWinsForEachKind() {
        assertThat(ShadowedEnv.message(ShadowedEnv.of(pod(new DeploymentSpec.HttpSpec("/web"), Map.of("CONTENT_LENGTH", "1")))))
                .isEqualTo("env CONTENT_LENGTH is also set by the node for each HTTP request (CGI): the request's CONTENT_LENGTH"
                        + " replaces the pod's value; rename the variable");
    }

    /**
     * An API server takes env names of any length and number (any printable character but '='), and every HTTP_ name a
     * header could give is one the node sets: the Warning names at most three of each list, each by its first 64
     * characters, within an event's 1 KiB.
     */
    @Test
    void theMessageOfManyHugeNamesStaysUnderAnEventsKibibyte() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH_INFO", "/x", "REQUEST_METHOD", "GET", "QUERY_STRING", "q",
                "SERVER_NAME", "s"));
        for (int i = 0; i < 4; i++) {
            env.put("HTTP_" + (char) ('A' + i) + "X".repeat(256 * 1024), "v");
        }
        for (int i = 0; i < 1000; i++) {
            env.put("HTTP_Y" + i, "v");
        }
        String message = ShadowedEnv.message(ShadowedEnv.of(pod(new DeploymentSpec.HttpSpec("/web"), env)));

        assertThat(message.length()).isLessThanOrEqualTo(1024); // not the message itself: unbounded, it is megabytes
        assertThat(message).startsWith("env HTTP_A" + "X".repeat(58) + "… (262150 characters), HTTP_B")
                .contains(" and 1005 more is also set", "the request's PATH_INFO, QUERY_STRING, REQUEST_METHOD and 1 more replaces",
                        " and 1001 more hides the request's header");
    }
}
