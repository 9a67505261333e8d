package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.oci.OciModules;
import dev.nanolet.oci.OciPullException;
import dev.nanolet.oci.PullPolicy;
import dev.nanolet.oci.RegistryCredentials;
import dev.nanolet.testsupport.TcpProxy;
import dev.nanolet.testsupport.registry.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the node remembers of who the registry let pull what (no more than a bound, whatever pods a tenant makes), and
 * how long a pod's pull waits for another's.
 */
class PodPullsTest {

    @TempDir
    Path cache;

    private OciModules oci() {
        return new OciModules(cache.resolve("oci"), Set.of(), 1 << 26, Duration.ofMinutes(1));
    }

    private static OciPullException.Kind refused(Runnable pull) {
        return ((OciPullException) catchThrowable(pull::run)).kind();
    }

    /** Pods that each name a private image with credentials of their own that the registry refuses leave nothing behind. */
    @Test
    void aRefusedPullIsNotRemembered() {
        try (LocalRegistry locked = LocalRegistry.withBasicAuth("ci", "pw")) {
            locked.pushWasm("private", "v1", Fixtures.bytes("hello.wasm"));
            PodPulls pulls = new PodPulls(oci());
            String image = locked.host() + "/private:v1";

            for (int i = 0; i < 5; i++) {
                RegistryCredentials guessed = new RegistryCredentials("ci", "guess-" + i);
                assertThat(refused(() -> pulls.pull(image, guessed, PullPolicy.IfNotPresent))).isEqualTo(OciPullException.Kind.UNAUTHORIZED);
            }
            assertThat(refused(() -> pulls.pull(image, null, PullPolicy.Never))).isEqualTo(OciPullException.Kind.NOT_PRESENT);

            assertThat(pulls.remembered()).isZero();
        }
    }

    /**
     * Past the bound the grant used longest ago is forgotten: its credentials are asked about again (under Never, the
     * cached module is no longer theirs), the others keep theirs.
     */
    @Test
    void pastTheBoundTheGrantUsedLongestAgoIsForgotten() {
        try (LocalRegistry open = LocalRegistry.start()) {
            byte[] wasm = Fixtures.bytes("hello.wasm");
            PodPulls pulls = new PodPulls(oci(), 2, PodPulls.WAIT);
            String first = open.host() + "/m:1";
            String second = open.host() + "/m:2";
            String third = open.host() + "/m:3";
            for (String tag : Set.of("1", "2", "3")) {
                open.pushWasm("m", tag, wasm);
            }

            pulls.pull(first, null, PullPolicy.Always);
            pulls.pull(second, null, PullPolicy.Always);
            assertThat(pulls.pull(first, null, PullPolicy.Never).bytes()).isEqualTo(wasm);
            pulls.pull(third, null, PullPolicy.Always);

            assertThat(pulls.remembered()).isEqualTo(2);
            assertThat(pulls.pull(first, null, PullPolicy.Never).bytes()).isEqualTo(wasm);
            assertThat(refused(() -> pulls.pull(second, null, PullPolicy.Never))).isEqualTo(OciPullException.Kind.NOT_PRESENT);
        }
    }

    /**
     * A registry that stops answering holds the pull that asked it, not the pods that name the same image with the same
     * credentials after it: theirs fail after the wait (to be tried again after a back-off); another image is pulled
     * meanwhile.
     */
    @Test
    void aPullWaitsForAStalledPullOfTheSameImageOnlySoLong() {
        try (LocalRegistry open = LocalRegistry.start(); TcpProxy link = new TcpProxy(Integer.parseInt(open.host().split(":")[1]))) {
            byte[] wasm = Fixtures.bytes("hello.wasm");
            open.pushWasm("m", "1", wasm);
            String stalled = "127.0.0.1:" + link.port() + "/m:1";
            PodPulls pulls = new PodPulls(oci(), PodPulls.REMEMBERED, Duration.ofMillis(200));
            link.stall();
            CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() -> pulls.pull(stalled, null, PullPolicy.Always).bytes());
            await().atMost(Duration.ofSeconds(30)).until(() -> pulls.pulling(stalled, null));

            CompletableFuture<OciPullException.Kind> second = CompletableFuture.supplyAsync(
                    () -> refused(() -> pulls.pull(stalled, null, PullPolicy.IfNotPresent)));
            assertThat(second).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(OciPullException.Kind.UNREACHABLE);
            assertThat(pulls.pull(open.host() + "/m:1", null, PullPolicy.Always).bytes()).isEqualTo(wasm);
            assertThat(first).isNotDone();

            link.restore();
            assertThat(first).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(wasm);
        }
    }
}
