package dev.nanolet.agent.http;

import static dev.nanolet.agent.http.RawHttp.assertProblem;
import static dev.nanolet.agent.http.RawHttp.pipelined;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import java.io.IOException;
import java.util.Map;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Hostile clients and modules on the data plane (docs/security.md, "Data plane"), over raw sockets
 * so that exactly the bytes an attacker would send reach the node.
 */
class DataPlaneHardeningTest extends AgentTestBase {

    static final Assignment a = http("paths-a", "/pa", "echo.wasm", null);
    static final Assignment b = http("paths-b", "/pb/", "hello.wasm", null);
    static final Assignment slow = http("slow", "/slow", "echo.wasm", new DeploymentSpec.Limits(16, 5000, 2));
    /** Answers with the CGI response sent as its body. */
    static final Assignment raw = http("hostile", "/hostile", "fixtures/cgi-stdin.wasm", null);

    static {
        List.of(a, b, slow, raw).forEach(platform::put);
    }

    @Autowired
    Replicas replicas;

    @BeforeEach
    void allRunning() {
        List.of(a, b, slow, raw).forEach(x -> awaitPhase(x.replicaId(), ReplicaPhase.Running));
    }

    @Test
    void everySpellingOfAPathReachesTheDeploymentItsCanonicalFormNames() throws IOException {
        for (String spelling : new String[] {"/pa/x", "//pa/x", "/pa//x", "/pb/../pa/x", "/pb/%2e%2E/pa/x", "/%70a/x", "/pb/./../../pa/x"}) {
            String answer = send("GET " + spelling + " HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(spelling).startsWith("HTTP/1.1 200").contains("SCRIPT_NAME=/pa\n", "PATH_INFO=/x\n");
        }
        assertThat(send("GET /pb/ HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n")).contains("Hello from Wasm");
        assertThat(send("GET /pb HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n")).contains("Hello from Wasm");
    }

    /**
     * {@code //actuator/prometheus} and {@code /x/../actuator/prometheus} miss Spring's own handlers
     * and reach the workload handler, whose canonical path is the node's own: a route at {@code /} must
     * not get them, and no node may forward them to another, which would serve its metrics to the
     * forwarding node as a peer on loopback.
     */
    @Test
    void theNodesOwnPathsSpelledToMissItsHandlersReachNoModule() throws IOException {
        Assignment root = http("root", "/", "echo.wasm", null);
        platform.put(root);
        try {
            awaitPhase(root.replicaId(), ReplicaPhase.Running);
            assertThat(send("GET /anything HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n")).contains("SCRIPT_NAME=\n");
            for (String own : new String[] {"//actuator/prometheus", "/x/../actuator/prometheus", "/actuator//metrics", "//_nanolet/logs/x",
                    "/%61ctuator/prometheus/", "//actuator"}) {
                String answer = send("GET " + own + " HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n");
                assertThat(answer).as(own).startsWith("HTTP/1.1 404").doesNotContain("SCRIPT_NAME", "nanolet_requests");
            }
        } finally {
            platform.delete(root.replicaId());
        }
    }

    @Test
    void anEncodedSlashBackslashOrBrokenEscapeIs400AndReachesNoModule() throws IOException {
        assertThat(send("GET /pb%2F..%2Fpa HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n"))
                .contains("application/problem+json", "must not have an encoded /");
        for (String bad : new String[] {"/pb%2F..%2Fpa", "/pa%2Fx", "/pa/%zz", "/pa/%5C..", "/pa/%00"}) {
            String answer = send("GET " + bad + " HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(bad).startsWith("HTTP/1.1 400").doesNotContain("SCRIPT_NAME");
        }
    }

    /**
     * A target that is no URI (a literal {@code \\}, a broken escape, a lone {@code %}), in origin form or in absolute form
     * (as a client sends it to a proxy), answers 400 problem+json like the node's other 4xx, where Spring's adapter answered
     * a bare 400 without body, and the connection goes on: requests pipelined behind it, with bodies and a {@code HEAD}
     * (answered without one), are answered in order on it.
     */
    @Test
    void aTargetThatIsNoUriIs400ProblemAndTheConnectionGoesOn() throws IOException {
        List<String> targets = List.of("/hello%zz", "/a\\b", "/lone%", "/%", "http://n/hello%zz", "http://n/a\\b", "http://n?q=%",
                "http://n/%", "HTTPS://n/a%zz");
        List<String> requests = new ArrayList<>(targets.stream().map(t -> "POST " + t + " HTTP/1.1\r\nHost: n\r\nContent-Length: 5\r\n\r\nhello").toList());
        requests.add("HEAD /head%zz HTTP/1.1\r\nHost: n\r\n\r\n");
        List<RawHttp.Raw> answers = pipelined(port, requests);
        for (int i = 0; i < targets.size(); i++) {
            assertProblem(answers.get(i), targets.get(i), 400, "the request target is not a URI");
        }
        assertThat(answers.get(targets.size()).status()).as("HEAD, its answer without body").isEqualTo(400);
    }

    /**
     * A target in none of HTTP/1.1's forms (RFC 9112 §3.2) was written whole behind Spring's scheme and host, which read a
     * part of it as the host: {@code x/pa} reached the route {@code /pa} (host {@code n:8181x}), {@code ftp://n/pa} too, and
     * behind an IPv6 {@code Host} Spring answered a bare 400. Each is 400 problem+json, whatever the host, reaches no module,
     * and the connection goes on.
     */
    @Test
    void aTargetInNoFormHttpAllowsIs400ProblemWhateverTheHostAndTheConnectionGoesOn() throws IOException {
        List<String> targets = List.of("x/pa", "*", "n/pa", "http:/n/pa", "ftp://n/pa", "http:n/pa", "n:80", "n/a%zz", "*%zz", "a/b://c/pa");
        for (String host : List.of("n", "[::1]:" + port)) {
            List<RawHttp.Raw> answers = pipelined(port, targets.stream().map(t -> "GET " + t + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").toList());
            for (int i = 0; i < targets.size(); i++) {
                assertProblem(answers.get(i), targets.get(i) + " to " + host, 400, "the request target is in no form HTTP/1.1 allows");
            }
        }
    }

    /**
     * {@code OPTIONS *} asks about the server as a whole (RFC 9110 §9.3.7), a request in a form HTTP/1.1 allows: the node
     * answers it 200 without body, naming no methods (which a route takes is its module's to say), whatever the host.
     */
    @Test
    void optionsOnTheServerIsAnsweredWithoutBody() throws IOException {
        for (String host : List.of("n", "[::1]:" + port)) {
            RawHttp.Raw answer = pipelined(port, List.of("OPTIONS * HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).getFirst();
            assertThat(answer.status()).as(host).isEqualTo(200);
            assertThat(answer.headers()).as(host).containsEntry("content-length", "0").doesNotContainKey("allow");
        }
    }

    /** The node is no proxy: a CONNECT, in authority form or any other, opens no tunnel, reaches no module, and the connection goes on. */
    @Test
    void connectIs405ProblemAndTheConnectionGoesOn() throws IOException {
        List<String> targets = List.of("n:443", "[::1]:443", "/pa");
        List<RawHttp.Raw> answers = pipelined(port, targets.stream().map(t -> "CONNECT " + t + " HTTP/1.1\r\nHost: " + t + "\r\n\r\n").toList());
        for (int i = 0; i < targets.size(); i++) {
            assertProblem(answers.get(i), targets.get(i), 405, "the node is no proxy and opens no tunnel");
            assertThat(answers.get(i).headers()).as(targets.get(i)).containsEntry("allow", "");
        }
    }

    /**
     * A space in the target splits the request line, which then has no valid version: Netty's decoder refuses it (400, no
     * body, the connection closed) before any route, {@code RequestTargets} too, sees it, in origin and absolute form alike.
     */
    @Test
    void aSpaceInTheTargetIsRefusedByNettysDecoder() throws IOException {
        for (String target : List.of("/a b", "http://n/a b")) {
            assertThat(send("GET " + target + " HTTP/1.1\r\nHost: n\r\n\r\n")).as(target).startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("content-length: 0").doesNotContain("problem+json");
        }
    }

    /**
     * Targets that are URIs, however unusual, still reach the module, as they did before {@code RequestTargets} looked
     * at every request: the characters a path and a query may hold, brackets in a query, bytes above ASCII, a target near
     * the 4 KiB line limit, an IPv6 {@code Host}, and a target in absolute form (left to Spring).
     */
    @Test
    void targetsThatAreUrisStillReachTheModule() throws IOException {
        String all = "/pa/x-._~!$&'()*+,;=:@%41?q=-._~!$&'()*+,;=:@/?%41";
        for (String request : List.of("GET " + all + " HTTP/1.1\r\nHost: n\r\n", "GET /pa/x?q=[1] HTTP/1.1\r\nHost: n\r\n",
                "GET /pa/x\u00e9 HTTP/1.1\r\nHost: n\r\n", "GET /pa/" + "a".repeat(3900) + " HTTP/1.1\r\nHost: n\r\n",
                "GET /pa/x HTTP/1.1\r\nHost: [::1]:" + port + "\r\n", "GET http://n/pa/x HTTP/1.1\r\nHost: n\r\n")) {
            String answer = send(request + "Connection: close\r\n\r\n");
            assertThat(answer).as(request).startsWith("HTTP/1.1 200").contains("SCRIPT_NAME=/pa\n");
        }
    }

    /**
     * A refused target whose body comes after the answer (Reactor Netty answers before reading it): the body is read and
     * dropped, never read as a request of its own, however it looks, and the request after it is answered.
     */
    @Test
    void theBodyOfARefusedTargetIsNeverReadAsARequest() throws IOException {
        String smuggled = "GET /_nanolet/v1/smuggled HTTP/1.1\r\nHost: n\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("POST /a%zz HTTP/1.1\r\nHost: n\r\nContent-Length: " + smuggled.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            RawHttp.Raw refused = RawHttp.header(in);
            assertThat(refused.status()).isEqualTo(400);
            in.readNBytes(Integer.parseInt(refused.headers().get("content-length")));
            s.getOutputStream().write((smuggled + "GET /_nanolet/v1/nothing HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readAll(in)).as("the next answer is the next request's").startsWith("HTTP/1.1 404")
                    .contains("the node has no endpoint /_nanolet/v1/nothing").doesNotContain("smuggled");
        }
    }

    @Test
    void clientsThatNeverSendTheirBodyHoldNoSlotAndGet408() throws IOException {
        List<Socket> slowClients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write(("POST /slow HTTP/1.1\r\nHost: n\r\nContent-Length: 10\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slowClients.add(s);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(send("POST /slow HTTP/1.1\r\nHost: n\r\nContent-Length: 4\r\nConnection: close\r\n\r\nping"))
                        .startsWith("HTTP/1.1 200").endsWith("ping");
            }
            await().until(() -> replicas.find(slow.replicaId()).orElseThrow().freeSlots() == 2);
            for (Socket s : slowClients) {
                s.setSoTimeout(20_000);
                assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 408").contains("did not arrive within 1500 ms");
            }
        } finally {
            for (Socket s : slowClients) {
                s.close();
            }
        }
    }

    @Test
    void moreHeaderFieldsThanTheLimitAre431() throws IOException {
        StringBuilder many = new StringBuilder("GET /pa HTTP/1.1\r\nHost: n\r\nConnection: close\r\n");
        for (int i = 0; i < 60; i++) {
            many.append("X-F").append(i).append(": 1\r\n");
        }
        assertThat(send(many + "\r\n")).startsWith("HTTP/1.1 431").doesNotContain("SCRIPT_NAME");
        assertThat(send("GET /pa HTTP/1.1\r\nHost: n\r\nConnection: close\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431");
    }

    /**
     * Requests Netty's decoder refuses before any route sees them (docs/node-agent.md, "Errors"): a length beside
     * {@code Transfer-Encoding} and a {@code Transfer-Encoding} on HTTP/1.0 or of {@code identity} (where the body ends is in
     * doubt: RFC 9112 §6.3), 400; a request line above 4 KiB, 414; header fields above {@code NANOLET_MAX_HEADER_BYTES}, 431.
     * No body, and the connection is closed, so nothing after the request is read as another.
     */
    @Test
    void requestsTheDecoderRefusesAreAnsweredBeforeAnyRouteAndTheConnectionCloses() throws IOException {
        Map<String, String> refused = Map.of(
                "POST /pa HTTP/1.1\r\nHost: n\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "400",
                "POST /pa HTTP/1.0\r\nHost: n\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "400",
                "POST /pa HTTP/1.1\r\nHost: n\r\nTransfer-Encoding: identity\r\n\r\nhello", "400",
                "GET /pa?" + "q".repeat(4100) + " HTTP/1.1\r\nHost: n\r\n\r\n", "414",
                "GET /pa HTTP/1.1\r\nHost: n\r\nX-Big: " + "x".repeat(17_000) + "\r\n\r\n", "431");
        for (var request : refused.entrySet()) {
            String name = request.getKey().substring(0, Math.min(80, request.getKey().length()));
            String answer = send(request.getKey() + "GET /pa HTTP/1.1\r\nHost: n\r\n\r\n"); // read to the end: the node closes
            assertThat(answer).as(name).startsWith("HTTP/1.1 " + request.getValue()).contains("content-length: 0", "connection: close")
                    .endsWith("\r\n\r\n").containsOnlyOnce("HTTP/1.1");
        }
    }

    @Test
    void aModuleThatAnswers101Gets502AndAWarningAndTheConnectionStaysHttp() throws IOException {
        String upgrade = "Status: 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n";
        String answer = send("POST /hostile HTTP/1.1\r\nHost: n\r\nContent-Length: " + upgrade.length()
                + "\r\nConnection: close\r\n\r\n" + upgrade);
        assertThat(answer).startsWith("HTTP/1.1 502").contains("not a final status").doesNotContainIgnoringCase("upgrade: websocket");
        await().until(() -> platform.eventsOf(raw.replicaId()).stream()
                .anyMatch(e -> e.reason().equals("BadResponse") && e.message().contains("not a final status")));
    }

    @Test
    void aModuleThatAnswersAFieldHttpCannotCarryGets502AndAWarning() throws IOException {
        String answer = answerOf("Content-Type: text/plain\nX-B: a\u000bb\n\nbody");
        assertThat(answer).startsWith("HTTP/1.1 502").contains("application/problem+json", "malformed CGI response", "X-B")
                .doesNotContain("X-B: a");
        await().until(() -> platform.eventsOf(raw.replicaId()).stream()
                .anyMatch(e -> e.reason().equals("BadResponse") && e.message().contains("the value of X-B has a control character")));
        assertThat(answerOf("Content-Type: text/plain\nX B: 1\n\nbody")).startsWith("HTTP/1.1 502").contains("not a header field name");
    }

    @Test
    void aLocalRedirectToSomethingThatIsNoUriGets502AndAWarning() throws IOException {
        for (String target : new String[] {"/a b", "/%zz", "/a\\b", "/x?a b"}) {
            assertThat(answerOf("Location: " + target + "\n\n")).as(target).startsWith("HTTP/1.1 502")
                    .contains("application/problem+json", "is not a URI path");
        }
        await().until(() -> platform.eventsOf(raw.replicaId()).stream()
                .anyMatch(e -> e.reason().equals("BadResponse") && e.message().contains("the local redirect /%zz is not a URI path")));
        assertThat(answerOf("Location: /pa/x?a=%41\n\n")).startsWith("HTTP/1.1 200").contains("PATH_INFO=/x\n", "QUERY_STRING=a=%41\n");
    }

    /** Else the node that forwarded the request would take the module's 404 for a stale route (502, and a route fetch each time). */
    @Test
    void aModuleCannotSendTheFieldsNodesSendOneAnother() throws IOException {
        String answer = answerOf("Status: 404\nContent-Type: text/plain\nX-Nanolet-No-Route: 1\nx-nanolet-forwarded: 1\nX-Kept: 1\n\nmine");
        assertThat(answer).startsWith("HTTP/1.1 404").containsIgnoringCase("x-kept: 1").doesNotContainIgnoringCase("x-nanolet").endsWith("mine");
    }

    @Test
    void aModulesHopByHopFieldsNeverReachTheClient() throws IOException {
        String answer = answerOf("Content-Type: text/plain\nConnection: keep-alive, X-Secret\nKeep-Alive: timeout=99\nUpgrade: h2c\n"
                + "TE: trailers\nTrailer: X-T\nTransfer-Encoding: chunked\nProxy-Authenticate: Basic\nX-Secret: 1\nX-Kept: 1\n\nmine");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).startsWith("http/1.1 200").contains("x-kept: 1", "content-length: 4").doesNotContain("keep-alive", "x-secret",
                "upgrade", "te:", "trailer", "transfer-encoding", "proxy-authenticate");
        assertThat(answer).endsWith("\r\n\r\nmine");
    }

    /**
     * The node counts a module's body itself: a true {@code Content-Length} reaches the client, a false one is replaced by
     * the count (never read past or short of the body), and an answer to HEAD, without body, keeps the module's.
     */
    @Test
    void aModulesContentLengthReachesTheClientWhenItIsTrue() throws IOException {
        assertThat(answerOf("Content-Type: text/plain\nContent-Length: 4\n\nmine")).containsIgnoringCase("\r\ncontent-length: 4\r\n")
                .endsWith("\r\n\r\nmine");
        assertThat(answerOf("Content-Type: text/plain\nContent-Length: 99\n\nmine")).startsWith("HTTP/1.1 200")
                .containsIgnoringCase("\r\ncontent-length: 4\r\n").doesNotContainIgnoringCase("content-length: 99").endsWith("\r\n\r\nmine");
        String cgi = "Content-Type: text/plain\nContent-Length: 1234\n\n";
        String head = send("HEAD /hostile HTTP/1.1\r\nHost: n\r\nContent-Length: " + cgi.length() + "\r\nConnection: close\r\n\r\n" + cgi);
        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("\r\ncontent-length: 1234\r\n").doesNotContainIgnoringCase("transfer-encoding").endsWith("\r\n\r\n");
    }

    /**
     * A module answers HEAD without body and without a length it declares (none, or none that is one number): the answer
     * says no length (RFC 9110 §8.6 lets a HEAD answer omit it), never {@code Content-Length: 0}, which would tell the client
     * that a GET has no body. Reactor Netty decides this (it frames a HEAD answer without length as chunked), not the node.
     */
    @Test
    void aHeadAnswerWithoutADeclaredLengthSaysNone() throws IOException {
        for (String cgi : List.of("Content-Type: text/plain\n\n", "Content-Type: text/plain\nContent-Length: 12x\n\n",
                "Content-Type: text/plain\nContent-Length: 3\nContent-Length: 3\n\n")) {
            String head = send("HEAD /hostile HTTP/1.1\r\nHost: n\r\nContent-Length: " + cgi.length() + "\r\nConnection: close\r\n\r\n" + cgi);
            assertThat(head).as(cgi).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("content-length").endsWith("\r\n\r\n");
        }
    }

    @Test
    void theDashboardsSessionCookieNeverReachesAModule() throws IOException {
        String answer = send("GET /pa HTTP/1.1\r\nHost: n\r\nConnection: close\r\nCookie: a=1; NANOLET_SESSION=secret; b=2\r\n"
                + "Cookie: nanolet_session=secret2\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("HTTP_COOKIE=a=1; b=2\n").doesNotContain("secret");
    }

    @Test
    void aModuleCannotSetTheDashboardsSessionCookie() throws IOException {
        String plant = "Content-Type: text/plain\nSet-Cookie: NANOLET_SESSION=planted; Path=/\nSet-Cookie: nanolet_session=x\n"
                + "Set-Cookie: =NANOLET_SESSION=planted; Path=/\nSet-Cookie:  \t NANOLET_SESSION =planted\nSet-Cookie: \"NANOLET_SESSION\"=planted\n"
                + "set-cookie: NANOLET_SESSION\nSet-Cookie2: =planted\nSet-Cookie: theme=dark\n\nok";
        String answer = send("POST /hostile HTTP/1.1\r\nHost: n\r\nContent-Length: " + plant.length()
                + "\r\nConnection: close\r\n\r\n" + plant);
        assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("set-cookie: theme=dark").doesNotContain("planted")
                .doesNotContainIgnoringCase("nanolet_session");
        await().until(() -> platform.eventsOf(raw.replicaId()).stream().anyMatch(e -> e.reason().equals("CookieRefused")));
    }

    /** The node's answer to a module that answers {@code cgi} (the fixture sends back its body). */
    private String answerOf(String cgi) throws IOException {
        return send("POST /hostile HTTP/1.1\r\nHost: n\r\nContent-Length: " + cgi.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + cgi);
    }

    private String send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
