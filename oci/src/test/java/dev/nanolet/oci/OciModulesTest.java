package dev.nanolet.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nanolet.oci.OciPullException.Kind;
import dev.nanolet.testsupport.TcpProxy;
import dev.nanolet.testsupport.registry.LocalRegistry;
import dev.nanolet.wire.ModuleDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real registry on loopback (Debian's docker-registry), with artifacts pushed here with ORAS. */
class OciModulesTest {

    private static LocalRegistry registry;
    private static final byte[] HELLO = example("hello.wasm");

    @TempDir
    Path cache;

    @BeforeAll
    static void startRegistry() {
        registry = LocalRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    static byte[] example(String name) {
        try {
            return Files.readAllBytes(Path.of("..", "examples", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OciModules modules() {
        return new OciModules(cache, Set.of(), 1 << 20, Duration.ofMinutes(1));
    }

    @Test
    void pullsByTagAndByDigestForEveryWasmLayerMediaType() {
        for (String layerType : WasmMediaTypes.LAYERS) {
            String repo = "hello-" + Integer.toHexString(layerType.hashCode());
            String manifest = registry.push(repo, "v1", HELLO, "application/vnd.wasm.config.v1+json", layerType);

            PulledModule byTag = modules().pull(registry.host() + "/" + repo + ":v1", null, PullPolicy.Always);
            assertThat(byTag.bytes()).isEqualTo(HELLO);
            assertThat(byTag.digest()).isEqualTo(ModuleDigest.of(HELLO));
            assertThat(byTag.manifestDigest()).isEqualTo(manifest);
            assertThat(byTag.imageId()).isEqualTo(registry.host() + "/" + repo + "@" + manifest);

            PulledModule byDigest = modules().pull(registry.host() + "/" + repo + "@" + manifest, null, PullPolicy.IfNotPresent);
            assertThat(byDigest.bytes()).isEqualTo(HELLO);
        }
    }

    @Test
    void aContainerImageIsNotAWasmArtifact() {
        registry.push("not-wasm", "v1", HELLO, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip");

        assertThatThrownBy(() -> modules().pull(registry.host() + "/not-wasm:v1", null, PullPolicy.Always))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_WASM))
                .hasMessageContaining("not a Wasm artifact");
    }

    @Test
    void bytesThatAreNotWasmBehindAWasmMediaTypeAreRefused() {
        registry.pushWasm("fake-wasm", "v1", "#!/bin/sh\necho hi\n".getBytes());

        assertThatThrownBy(() -> modules().pull(registry.host() + "/fake-wasm:v1", null, PullPolicy.Always))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_WASM));
    }

    @Test
    void aMissingTagIsNotFoundAndAWrongPinnedDigestIsNotFoundEither() {
        registry.pushWasm("present", "v1", HELLO);
        assertThatThrownBy(() -> modules().pull(registry.host() + "/present:v2", null, PullPolicy.Always))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        String wrong = ModuleDigest.of("other".getBytes());
        assertThatThrownBy(() -> modules().pull(registry.host() + "/present@" + wrong, null, PullPolicy.Always))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void ifNotPresentAndNeverUseTheDiskCacheWithoutTheRegistryAlwaysSeesANewPush() {
        registry.pushWasm("moving", "latest", HELLO);
        String ref = registry.host() + "/moving:latest";
        assertThatThrownBy(() -> modules().pull(ref, null, PullPolicy.Never))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_PRESENT));
        assertThat(modules().pull(ref, null, PullPolicy.IfNotPresent).bytes()).isEqualTo(HELLO);

        byte[] job = example("job.wasm");
        registry.pushWasm("moving", "latest", job);
        assertThat(modules().pull(ref, null, PullPolicy.IfNotPresent).bytes()).as("cached").isEqualTo(HELLO);
        assertThat(modules().pull(ref, null, PullPolicy.Never).bytes()).as("cached").isEqualTo(HELLO);
        assertThat(modules().pull(ref, null, PullPolicy.Always).bytes()).as("resolved again").isEqualTo(job);
    }

    @Test
    void aTamperedCachedBlobIsFetchedAgain() throws IOException {
        registry.pushWasm("tamper", "v1", HELLO);
        String ref = registry.host() + "/tamper:v1";
        modules().pull(ref, null, PullPolicy.IfNotPresent);
        try (var files = Files.list(cache.resolve("blobs"))) {
            for (Path p : files.toList()) {
                Files.write(p, new byte[] {0, 'a', 's', 'm', 9, 9});
            }
        }
        assertThat(modules().pull(ref, null, PullPolicy.IfNotPresent).bytes()).isEqualTo(HELLO);
    }

    @Test
    void aPrivateRegistryWantsItsCredentials() {
        try (LocalRegistry locked = LocalRegistry.withBasicAuth("ci", "s3cret")) {
            locked.pushWasm("private", "v1", HELLO);
            String ref = locked.host() + "/private:v1";

            assertThatThrownBy(() -> modules().pull(ref, null, PullPolicy.Always))
                    .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED));
            assertThatThrownBy(() -> modules().pull(ref, new RegistryCredentials("ci", "wrong"), PullPolicy.Always))
                    .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED));
            var creds = RegistryCredentials.fromDockerConfig(locked.dockerConfigJson()).get(locked.host());
            assertThat(modules().pull(ref, creds, PullPolicy.Always).bytes()).isEqualTo(HELLO);
        }
    }

    @Test
    void anUnreachableRegistryAndABadReferenceSayWhy() {
        assertThatThrownBy(() -> modules().pull("127.0.0.1:1/x:v1", null, PullPolicy.Always))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE));
        assertThatThrownBy(() -> modules().pull("not a reference", null, PullPolicy.Always))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REFERENCE));
    }

    /**
     * A pod's image may be as long as its spec: ORAS' parser recursed once per path segment, and {@code r.example/a/a/…}
     * threw a {@link StackOverflowError} past every {@code catch (RuntimeException)}, so the pod's pull never ended. A
     * reference is at most 512 characters (a repository name at most 255, a tag 128, a digest), as platform-api takes.
     */
    @Test
    void aReferenceLongerThanAnyImagesIsRefusedBeforeItIsParsed() {
        for (String ref : new String[] {"r.example/" + "a/".repeat(50_000) + "x:1", "r.example/" + "a".repeat(503) + ":v1"}) {
            assertThatThrownBy(() -> OciModules.registryOf(ref)).isInstanceOfSatisfying(OciPullException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.INVALID_REFERENCE);
                assertThat(e.getMessage()).isEqualTo("an image reference of " + ref.length() + " characters is longer than the 512 one may have");
            });
            assertThatThrownBy(() -> modules().pull(ref, null, PullPolicy.Always)).isInstanceOfSatisfying(OciPullException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REFERENCE));
        }
        assertThat(OciModules.registryOf("r.example/" + "a/".repeat(249) + "x:1")).isEqualTo("r.example");
    }

    /** ORAS' HTTP client has no read timeout: a registry that accepts the connection and then says nothing held the pull for ever. */
    @Test
    void aRegistryThatStopsAnsweringFailsThePullAtItsTimeout() {
        registry.pushWasm("stalled", "v1", HELLO);
        try (TcpProxy link = new TcpProxy(Integer.parseInt(registry.host().split(":")[1]))) {
            String ref = "127.0.0.1:" + link.port() + "/stalled:v1";
            var modules = new OciModules(cache, Set.of(), 1 << 20, Duration.ofSeconds(2));
            assertThat(modules.pull(ref, null, PullPolicy.Always).bytes()).as("through the link while it passes bytes").isEqualTo(HELLO);

            link.stall();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> modules.pull(ref, null, PullPolicy.Always))
                    .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
                    .hasMessageContaining("within the pull timeout of 2s"));
        }
    }

    @Test
    void aLayerLargerThanAllowedIsRefused() {
        registry.pushWasm("big", "v1", HELLO);
        var small = new OciModules(cache, Set.of(), HELLO.length - 1, Duration.ofMinutes(1));
        assertThatThrownBy(() -> small.pull(registry.host() + "/big:v1", null, PullPolicy.Always))
                .isInstanceOfSatisfying(OciPullException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
    }

    @Test
    void pullPolicyDefaultsAsKubernetesDoes() {
        assertThat(PullPolicy.of(null, "r.example/a")).isEqualTo(PullPolicy.Always);
        assertThat(PullPolicy.of("", "r.example/a:latest")).isEqualTo(PullPolicy.Always);
        assertThat(PullPolicy.of(null, "r.example:5000/a:1.0")).isEqualTo(PullPolicy.IfNotPresent);
        assertThat(PullPolicy.of(null, "r.example:5000/a@sha256:" + "0".repeat(64))).isEqualTo(PullPolicy.IfNotPresent);
        assertThat(PullPolicy.of("Never", "r.example/a")).isEqualTo(PullPolicy.Never);
        assertThatThrownBy(() -> PullPolicy.of("Sometimes", "a")).isInstanceOf(IllegalArgumentException.class);
    }
}
