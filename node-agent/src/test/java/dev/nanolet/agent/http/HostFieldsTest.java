package dev.nanolet.agent.http;

import static dev.nanolet.agent.http.RawHttp.assertProblem;
import static dev.nanolet.agent.http.RawHttp.pipelined;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request's {@code Host} fields on the data plane (RFC 9112 §3.2, RFC 9110 §7.2): one that is a host is served, anything
 * else is the node's 400 problem+json before any module runs, and the connection goes on. Raw sockets, so exactly the bytes
 * a client sends reach the node, and a request pipelined behind each.
 */
class HostFieldsTest extends AgentTestBase {

    static final Assignment echo = http("hosts", "/hosts", "echo.wasm", null);

    static {
        platform.put(echo);
    }

    @BeforeEach
    void running() {
        awaitPhase(echo.replicaId(), ReplicaPhase.Running);
    }

    /**
     * Reactor Netty read the port with {@code Integer.parseInt} before any route ({@code a:x}, {@code [::1}: its bare 400, the
     * connection closed); Spring %-escaped the rest into the request's URI and ran the module ({@code a%zz}, {@code a b},
     * {@code a:99999999}, {@code a{b}}).
     */
    @Test
    void aHostThatIsNoHostIs400ProblemBeforeAnyModuleAndTheConnectionGoesOn() throws IOException {
        List<String> hosts = List.of("a:x", "[::1", "a%zz", "a b", "a:99999999", "a{b}", "a:65536", "a:", "", ":80", "::1",
                "[::1]x", "[::1]:", "[v1.x]", "[fe80::1%25eth0]", "[zz]", "a@b", "a/b", "h\u00e9", "a:-1", "a:+1");
        List<RawHttp.Raw> answers = pipelined(port, hosts.stream().map(h -> get("Host: " + h + "\r\n")).toList());
        for (int i = 0; i < hosts.size(); i++) {
            assertProblem(answers.get(i), "Host: " + hosts.get(i), 400, "the Host field is no host[:port]");
        }
    }

    @Test
    void anHttp11RequestWithoutHostIs400AndOneOfHttp10IsServed() throws IOException {
        RawHttp.Raw without = pipelined(port, List.of("GET /hosts HTTP/1.1\r\n\r\n")).getFirst();
        assertProblem(without, "HTTP/1.1 without Host", 400, "an HTTP/1.1 request must have a Host field");
        RawHttp.Raw old = RawHttp.exchange(port, "GET /hosts HTTP/1.0\r\n\r\n");
        assertThat(old.status()).isEqualTo(200);
        assertThat(new String(old.body(), StandardCharsets.UTF_8)).contains("SCRIPT_NAME=/hosts\n");
    }

    /** Two fields, the same value twice too, and on HTTP/1.0 as well: which one the client meant is unknown. */
    @Test
    void twoHostFieldsAre400() throws IOException {
        List<String> requests = List.of(get("Host: a\r\nHost: b\r\n"), get("Host: a\r\nhost: a\r\n"));
        List<RawHttp.Raw> answers = pipelined(port, requests);
        for (int i = 0; i < requests.size(); i++) {
            assertProblem(answers.get(i), requests.get(i), 400, "a request must have one Host field, not several");
        }
        assertProblem(RawHttp.exchange(port, "GET /hosts HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), "HTTP/1.0", 400,
                "a request must have one Host field, not several");
    }

    /** Names, IP addresses and ports as RFC 3986 spells them still reach the module, which sees the client's {@code Host}. */
    @Test
    void aHostThatIsAHostIsServedAndTheConnectionGoesOn() throws IOException {
        List<String> hosts = List.of("example.test", "[::1]:" + port, "127.0.0.1:" + port, "a_b.test:0", "a%41-b~c", "x!$&'()*+,;=",
                "[::ffff:127.0.0.1]", "[64:ff9b::192.0.2.1]", "[2001:DB8::1]:65535", "n:00080", "EXAMPLE.test");
        List<RawHttp.Raw> answers = pipelined(port, hosts.stream().map(h -> get("Host: " + h + "\r\n")).toList());
        for (int i = 0; i < hosts.size(); i++) {
            assertThat(answers.get(i).status()).as(hosts.get(i)).isEqualTo(200);
            assertThat(new String(answers.get(i).body(), StandardCharsets.UTF_8)).as(hosts.get(i))
                    .contains("SCRIPT_NAME=/hosts\n", "HTTP_HOST=" + hosts.get(i) + "\n");
        }
    }

    /** A client's own field of the name the node marks a refused {@code Host} with is dropped: it refuses nothing and reaches no module. */
    @Test
    void theNodesMarkCannotBeSentByAClient() throws IOException {
        RawHttp.Raw answer = pipelined(port, List.of(get("Host: n\r\nX-Nanolet-Host-Refused: MISSING\r\n"))).getFirst();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("SCRIPT_NAME=/hosts\n").doesNotContain("REFUSED");
    }

    private static String get(String hostFields) {
        return "GET /hosts HTTP/1.1\r\n" + hostFields + "\r\n";
    }
}
