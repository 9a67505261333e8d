package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.logs.LogStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet API lets in what a kubelet with {@code --client-ca-file} and no anonymous access lets in:
 * a client certificate signed by the configured CA (the API server's kubelet-client), or the configured
 * bearer token; no credentials is 401, a certificate from another CA fails the handshake, a signed one
 * with a name not allowed is 403, and with nothing configured every request is refused. What it lets in reads a pod's
 * lines by {@code tailLines} in ASCII digits only, or every line kept without it.
 */
class KubeletAuthTest {

    @TempDir
    Path dir;
    private KubeletApi api;
    private final UUID pod = UUID.randomUUID();
    /** More lines than the 1000 the kubelet API answered without {@code tailLines}. */
    private static final int KEPT = 1500;
    private final LogStore logs = TestKubelet.logs(KEPT);

    private KubeletApi start(Path clientCa, Set<String> names, String token) throws IOException {
        logs.open(pod).append("stdout", "a line from the pod");
        api = TestKubelet.start(TestKubelet.props(clientCa, names, token), UnaryOperator.identity(), pod, logs);
        return api;
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.stop();
        }
    }

    private HttpResponse<String> logs(HttpClient http, String token) throws IOException, InterruptedException {
        return logs(http, token, "");
    }

    private HttpResponse<String> logs(HttpClient http, String token, String query) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + "/containerLogs/default/p/main" + query))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientCertificateFromTheClientCaIsLetInAndNothingElseIs() throws Exception {
        KubeletPki pki = new KubeletPki(dir);
        start(pki.caFile, Set.of(), null);

        var signed = logs(pki.client("kube-apiserver-kubelet-client").http(), null);
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.body()).contains("a line from the pod");

        var anonymous = logs(dev.nanolet.testsupport.InsecureHttp.client(), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("a line from the pod").contains("client certificate");
        assertThat(logs(dev.nanolet.testsupport.InsecureHttp.client(), "a-guess").statusCode()).isEqualTo(401);

        assertThatThrownBy(() -> logs(KubeletPki.rogue("kube-apiserver-kubelet-client").http(), null)).isInstanceOf(IOException.class);
    }

    @Test
    void allowedNamesNarrowTheCertificatesLetIn() throws Exception {
        KubeletPki pki = new KubeletPki(dir);
        start(pki.caFile, Set.of("kube-apiserver-kubelet-client"), null);

        assertThat(logs(pki.client("kube-apiserver-kubelet-client").http(), null).statusCode()).isEqualTo(200);
        var other = logs(pki.client("system:node:other").http(), null);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).doesNotContain("a line from the pod");
    }

    @Test
    void theConfiguredBearerTokenIsLetInAndAWrongOneIsNot() throws Exception {
        start(null, Set.of(), "s3cret-kubelet-token");
        HttpClient http = dev.nanolet.testsupport.InsecureHttp.client();

        assertThat(logs(http, "s3cret-kubelet-token").statusCode()).isEqualTo(200);
        assertThat(logs(http, "s3cret-kubelet-tokeN").statusCode()).isEqualTo(401);
        assertThat(logs(http, null).statusCode()).isEqualTo(401);
    }

    @Test
    void withNeitherCaNorTokenEveryRequestIsRefused() throws Exception {
        start(null, Set.of(), null);
        HttpClient http = dev.nanolet.testsupport.InsecureHttp.client();

        assertThat(logs(http, null).statusCode()).isEqualTo(401);
        var exec = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + "/exec/default/p/main")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(exec.statusCode()).isEqualTo(401);
    }

    @Test
    void tailLinesIsAsciiDigitsBoundedToTheLinesKept() throws Exception {
        start(null, Set.of(), "s3cret-kubelet-token");
        HttpClient http = dev.nanolet.testsupport.InsecureHttp.client();

        for (String tail : List.of("%2B1", "%D9%A1", "%201", "-1", "0x1", "")) {
            var refused = logs(http, "s3cret-kubelet-token", "?tailLines=" + tail);
            assertThat(refused.statusCode()).as(tail).isEqualTo(400);
            assertThat(refused.body()).as(tail).startsWith("tailLines must be a number of lines written with the digits 0-9 only");
        }
        assertThat(logs(http, "s3cret-kubelet-token", "?tailLines=99999999999").body()).isEqualTo("a line from the pod\n");
        // the API server passes any int64 kubectl --tail gives (PodLogOptions.tailLines), up to 9223372036854775807
        assertThat(logs(http, "s3cret-kubelet-token", "?tailLines=9223372036854775807").body()).isEqualTo("a line from the pod\n");
        assertThat(logs(http, "s3cret-kubelet-token", "?tailLines=99999999999999999999").body()).isEqualTo("a line from the pod\n");
        assertThat(logs(http, "s3cret-kubelet-token", "?tailLines=0").body()).isEmpty();
    }

    /**
     * {@code kubectl logs} without {@code --tail} asks for no {@code tailLines}, and a kubelet sends the whole log it has:
     * so does this node, every line it keeps ({@code log-lines}). It sent the last 1000 only.
     */
    @Test
    void withoutTailLinesEveryLineKeptIsSent() throws Exception {
        start(null, Set.of(), "s3cret-kubelet-token");
        for (int i = 1; i < KEPT + 10; i++) {
            logs.open(pod).append("stdout", "line " + i);
        }

        List<String> lines = logs(dev.nanolet.testsupport.InsecureHttp.client(), "s3cret-kubelet-token").body().lines().toList();
        assertThat(lines).hasSize(KEPT).endsWith("line " + (KEPT + 9));
        assertThat(lines.getFirst()).isEqualTo("line 10");
    }
}
