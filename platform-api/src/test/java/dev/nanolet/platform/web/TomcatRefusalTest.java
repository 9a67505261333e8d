package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.PlatformApiTest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Tomcat refuses before any of the API's code runs is answered problem+json whose detail says what was wrong: every
 * such 400 said "for example, its headers are too large", whatever it was refused for. Sent raw: no HTTP client sends these.
 */
@PlatformApiTest
class TomcatRefusalTest {
    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void eachRefusalBeforeTheApiSaysWhatWasWrong() throws IOException {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("GET /api/v1/audit% HTTP/1.1\r\n", ProblemErrorReportValve.BAD_ESCAPE);
        details.put("GET /api/v1/nodes/%zz HTTP/1.1\r\n", ProblemErrorReportValve.BAD_ESCAPE);
        details.put("GET /api/v1/nodes/%00 HTTP/1.1\r\n",
                "the request's path does not decode to a plain path: it holds a NUL (%00) or climbs above the root (..)");
        details.put("GET /api/v1/nodes/a%2Fb HTTP/1.1\r\n", "the request's path holds an encoded slash (%2F), which no path of the API has");
        details.put("GET /api/v1/nodes/a\0b HTTP/1.1\r\n", ProblemErrorReportValve.BAD_TARGET);
        details.put("GET /api/v1/audit?actor=\u0001 HTTP/1.1\r\n", ProblemErrorReportValve.BAD_TARGET);
        details.put("G\0T /api/v1/audit HTTP/1.1\r\n", "the request line's method holds a character a method may not (a method is a token, RFC 9110)");
        details.put("GET /api/v1/a b HTTP/1.1\r\n",
                "the request line is not METHOD, path and HTTP version, one space apart: a space in the path must be %20");
        details.put("GET /api/v1/audit HTTP/1.1\r\nX-A: a\0b\r\n", ProblemErrorReportValve.BAD_HEADER);
        details.put("GET /api/v1/audit HTTP/1.1\r\nX\u0001A: b\r\n", ProblemErrorReportValve.BAD_HEADER);
        details.put("GET /api/v1/audit HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n", ProblemErrorReportValve.HEADERS_TOO_LARGE);
        details.put("GET /api/v1/nodes/%FF HTTP/1.1\r\n", ProblemErrorReportValve.REFUSED);
        details.put("GET /api/v1/audit HTTP/1.1\r\nContent-Length: x\r\n", ProblemErrorReportValve.REFUSED);
        for (Map.Entry<String, String> refusal : details.entrySet()) {
            String head = refusal.getKey();
            int line = head.indexOf("\r\n");
            String answer = ApiClient.raw(port, head.substring(0, line - " HTTP/1.1".length()), head.substring(line + 2));
            String what = head.length() > 100 ? head.substring(0, 100) : head;
            assertThat(answer).as(what).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/problem+json");
            JsonNode problem = json.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.path("status").asInt()).as(what).isEqualTo(400);
            assertThat(problem.path("title").asString()).as(what).isEqualTo("Bad Request");
            assertThat(problem.path("detail").asString()).as(what).isEqualTo(refusal.getValue());
        }
    }

    /** An actuator's 404 without a body reached the valve too, which said Tomcat had refused the request. */
    @Test
    void anErrorWithoutABodyThatTomcatDidNotRefuseIsNotSaidToBeARefusal() throws IOException {
        String answer = ApiClient.raw(port, "GET /actuator/health/no-such-group", "");
        assertThat(answer).startsWith("HTTP/1.1 404 ").contains("Content-Type: application/problem+json")
                .contains("\"detail\":\"the server answered 404 Not Found and has nothing more to say about it\"");
    }

    @Test
    void anHttpVersionTheServerDoesNotSpeakIs505SayingSo() throws IOException {
        String answer = ApiClient.raw(port, "GET /api/v1/audit HTTP/9.9\r\nX-Ignored: 1", "");
        assertThat(answer).startsWith("HTTP/1.1 505 ").contains("\"detail\":\"the request names an HTTP version the server does not speak: send HTTP/1.1\"");
    }
}
