package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.NamespaceTestBase;
import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * A {@code PUT} of a secret and a manifest lock every deployment row they will touch in one pass, in (namespace, name)
 * order, so the two never deadlock (a 409), whatever order the manifest then writes them in. In each test,
 * {@code a} and {@code b} take values from secret {@code s}, and each round a {@code PUT} of {@code s}, which rolls out
 * {@code a}, then {@code b}, races a manifest that reaches {@code b} before {@code a} and does not reference {@code s}
 * (else it would lock {@code s} first and wait for the {@code PUT}); a manifest sent before each round brings back what
 * the last one changed.
 */
@PlatformApiTest
class SecretRolloutRaceTest extends NamespaceTestBase {
    /**
     * With the rows locked in the order each request reaches them (d2416eb), 14 to 17 rounds of 20 were a 409 in each
     * test (counted over two runs of all three; a run that stops at the first 409 stopped at round 1 in each), so 20
     * rounds all passing by chance is out of reach; 20 rounds take a few seconds.
     */
    static final int ROUNDS = 20;

    /** A deployment {@code name} labelled {@code app: race}, taking {@code TOKEN_X} from each secret {@code x} named. */
    String document(String name, String... secrets) {
        String secretEnv = Stream.of(secrets).map(s -> "\"TOKEN_" + s.toUpperCase() + "\":{\"secret\":\"" + s + "\",\"key\":\"v\"}")
                .collect(Collectors.joining(","));
        return """
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s, labels: {app: race}}
                spec: {"module":"%s","http":{"path":"/%s-%s"},"replicas":0,"secretEnv":{%s}}
                """.formatted(name, ns, module, ns, name, secretEnv);
    }

    String secretDocument(String name, String value) {
        return """
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: %s, namespace: %s}
                stringData: {v: "%s"}
                """.formatted(name, ns, value);
    }

    Response putSecret(String name, String value) {
        return admin.json(HttpMethod.PUT, "/api/v1/namespaces/" + ns + "/secrets/" + name, "{\"data\":{\"v\":\"" + value + "\"}}");
    }

    /** The manifest's documents name {@code b}, then {@code a}; before, it locked them in that order. */
    @Test
    void aManifestNamingTheDeploymentsInAnotherOrder() throws Exception {
        race(document("a", "s") + "---\n" + document("b", "s"), "/api/v1/apply",
                round -> document("b", "t") + "---\n" + document("a", "t"));
    }

    /**
     * The manifest writes secret {@code t}, which rolls out {@code b}, then secret {@code u}, which rolls out {@code a};
     * before, it locked {@code b}, then {@code a}, as it wrote them.
     */
    @Test
    void aManifestWritingSecretsThatRollOutTheDeployments() throws Exception {
        race(document("a", "s", "u") + "---\n" + document("b", "s", "t"), "/api/v1/apply",
                round -> secretDocument("t", round) + "---\n" + secretDocument("u", round));
    }

    /** The manifest applies {@code b} and prunes {@code a}; before, it locked {@code b}, then {@code a} to delete it. */
    @Test
    void aManifestPruningADeployment() throws Exception {
        race(document("a", "s") + "---\n" + document("b", "s"), "/api/v1/apply?prune=true&selector=app=race",
                round -> document("b", "t"));
    }

    private void race(String before, String path, Function<String, String> manifest) throws Exception {
        assertThat(putSecret("s", "0").status()).isEqualTo(201);
        assertThat(putSecret("t", "0").status()).isEqualTo(201);
        assertThat(putSecret("u", "0").status()).isEqualTo(201);
        for (int round = 1; round <= ROUNDS; round++) {
            Response reset = post(admin, "/api/v1/apply", before);
            assertThat(reset.status()).as(reset.body()).isEqualTo(200);
            String value = String.valueOf(round);
            List<Response> answers = DeploymentConcurrencyTest.all(List.<Callable<Response>>of(
                    () -> putSecret("s", value), () -> post(admin, path, manifest.apply(value))));
            for (Response answer : answers) {
                assertThat(answer.status()).as("round " + round + ": " + answer.body()).isEqualTo(200);
            }
        }
    }
}
