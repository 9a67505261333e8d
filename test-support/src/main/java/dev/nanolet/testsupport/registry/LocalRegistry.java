package dev.nanolet.testsupport.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import land.oras.Config;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real OCI registry on loopback: Debian's {@code docker-registry} (distribution 2.x) started as a
 * process on a free port with a temporary storage directory, optionally behind htpasswd basic auth.
 * Tests push Wasm artifacts to it with ORAS' Java SDK, as a user's CI pipeline would.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";
    private final Path dir;
    private final Process process;
    private final int port;
    private final String user;
    private final String password;

    private LocalRegistry(String user, String password) {
        this.user = user;
        this.password = password;
        try {
            dir = Files.createTempDirectory("nanolet-registry");
            port = freePort();
            StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                    + dir.resolve("storage") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
            if (user != null) {
                String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt(), 6);
                Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
                config.append("auth:\n  htpasswd:\n    realm: nanolet-test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
            }
            Path file = dir.resolve("config.yml");
            Files.writeString(file, config);
            process = new ProcessBuilder(BINARY, "serve", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            awaitUp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An open registry. */
    public static LocalRegistry start() {
        return new LocalRegistry(null, null);
    }

    /** A registry that wants {@code user}/{@code password} for everything. */
    public static LocalRegistry withBasicAuth(String user, String password) {
        return new LocalRegistry(user, password);
    }

    /** {@code 127.0.0.1:port}, the registry part of a reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * Pushes {@code wasm} as an artifact with one layer of {@code layerMediaType} and a config of
     * {@code configMediaType}, tagged {@code repository:tag}; answers the manifest's digest.
     */
    public String push(String repository, String tag, byte[] wasm, String configMediaType, String layerMediaType) {
        Registry registry = client();
        ContainerRef ref = ContainerRef.parse(host() + "/" + repository + ":" + tag);
        Layer layer = registry.pushBlob(ref, wasm).withMediaType(layerMediaType);
        byte[] configBytes = "{}".getBytes(StandardCharsets.UTF_8);
        Layer configBlob = registry.pushBlob(ref, configBytes);
        Config config = Config.fromBlob(configMediaType, configBlob);
        Manifest manifest = Manifest.empty().withConfig(config).withLayers(List.of(layer));
        return registry.pushManifest(ref, manifest).getDescriptor().getDigest();
    }

    /** Pushes {@code wasm} the way the CNCF Wasm artifact layout says ({@code application/wasm}). */
    public String pushWasm(String repository, String tag, byte[] wasm) {
        return push(repository, tag, wasm, "application/vnd.wasm.config.v0+json", "application/wasm");
    }

    private Registry client() {
        Registry.Builder b = user == null ? Registry.builder().defaults() : Registry.builder().defaults(user, password);
        return b.withInsecure(true).build();
    }

    private void awaitUp() throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host() + "/v2/").toURL().openConnection();
                c.setConnectTimeout(500);
                int code = c.getResponseCode();
                if (code == 200 || code == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("docker-registry did not answer on " + host() + " within 30 s");
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return salt;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** The registry's credentials as a Kubernetes {@code .dockerconfigjson}. */
    public String dockerConfigJson() {
        String auth = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}";
    }
}
