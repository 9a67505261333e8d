package dev.nanolet.oci;

import dev.nanolet.oci.OciPullException.Kind;
import dev.nanolet.wire.ModuleDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.exception.OrasException;

/**
 * Wasm modules from OCI registries, on ORAS' Java SDK: resolves a reference (tag or digest) to its
 * manifest, takes its Wasm layer ({@link WasmMediaTypes}), verifies the bytes against the layer's
 * digest (and the manifest against a pinned digest), and keeps both on disk: {@code <dir>/blobs/<hex>}
 * by content and {@code <dir>/refs/<sha256 of reference>} → manifest digest and layer digest, so
 * {@link PullPolicy#IfNotPresent} and {@link PullPolicy#Never} work without the registry.
 *
 * <p>Registries on loopback (and those in {@code insecureRegistries}) are spoken to over plain HTTP, as
 * Docker does; all others over HTTPS. Thread-safe; blocks the caller (never an event loop).
 *
 * <p>ORAS' HTTP client has a connect timeout only, so a registry that accepts the connection and then stalls (or
 * trickles bytes) would hold a pull for ever: the exchange with the registry (manifest and blob) runs on a virtual
 * thread of its own and the caller waits for it at most {@code timeout}. Past it the pull fails as
 * {@link Kind#UNREACHABLE} and the exchange's thread is interrupted, which cancels {@code HttpClient.send} and a read
 * of the body stream (both wait interruptibly); whatever ORAS does then, the caller has been released already.
 */
public final class OciModules {

    /** The longest image reference: a repository name of at most 255 characters, a tag of 128, or a digest (as platform-api takes). */
    static final int MAX_REFERENCE = 512;
    private static final String WASM_MAGIC = "\0asm";
    private final Path blobs;
    private final Path refs;
    private final Set<String> insecureRegistries;
    private final long maxBytes;
    private final Duration timeout;

    /**
     * @param maxBytes a Wasm layer larger than this is refused before it is fetched (and cut off if it lies about its size)
     * @param timeout how long the exchange with the registry (manifest and blob together) of one pull may take
     */
    public OciModules(Path dir, Set<String> insecureRegistries, long maxBytes, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the pull timeout must be positive, not " + timeout);
        }
        this.blobs = dir.resolve("blobs");
        this.refs = dir.resolve("refs");
        this.insecureRegistries = Set.copyOf(insecureRegistries);
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /**
     * The module {@code reference} names.
     *
     * @param credentials for the reference's registry, or null for anonymous pulls
     * @throws OciPullException with the reason it could not be pulled
     */
    public PulledModule pull(String reference, RegistryCredentials credentials, PullPolicy policy) {
        ContainerRef ref = parse(reference);
        String repository = ref.getRegistry() + "/" + ref.getFullRepository();
        if (policy != PullPolicy.Always) {
            Optional<PulledModule> cached = cached(reference, repository);
            if (cached.isPresent()) {
                return cached.get();
            }
            if (policy == PullPolicy.Never) {
                throw new OciPullException(Kind.NOT_PRESENT, reference + " is not on this node and imagePullPolicy is Never", null);
            }
        }
        try {
            Fetched fetched = withinTimeout(reference, () -> exchange(reference, ref, repository, credentials));
            verify(reference, fetched.layerDigest(), fetched.bytes());
            store(fetched.layerDigest(), fetched.bytes());
            remember(reference, fetched.manifestDigest(), fetched.layerDigest());
            return new PulledModule(reference, repository, fetched.manifestDigest(), fetched.layerDigest(), fetched.bytes());
        } catch (OrasException e) {
            throw translate(reference, e);
        } catch (OciPullException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OciPullException(Kind.UNREACHABLE, "cannot pull " + reference + ": " + rootMessage(e), e);
        }
    }

    private record Fetched(String manifestDigest, String layerDigest, byte[] bytes) {}

    /** What the registry says: the manifest and, unless the disk has it, the Wasm layer's bytes (not yet verified). */
    private Fetched exchange(String reference, ContainerRef ref, String repository, RegistryCredentials credentials) {
        Registry registry = registry(ref, credentials);
        Manifest manifest = registry.getManifest(ref);
        String manifestDigest = manifestDigest(ref, manifest);
        Layer layer = wasmLayer(reference, manifest);
        if (layer.getSize() != null && layer.getSize() > maxBytes) {
            throw new OciPullException(Kind.TOO_LARGE, "the Wasm layer of " + reference + " has " + layer.getSize()
                    + " bytes, more than the " + maxBytes + " allowed", null);
        }
        byte[] bytes = blob(layer.getDigest()).orElseGet(() -> fetch(registry, ContainerRef.parse(repository + "@" + layer.getDigest())));
        return new Fetched(manifestDigest, layer.getDigest(), bytes);
    }

    /**
     * The exchange's result, or its exception, if it ends within the timeout; else the caller goes and the exchange is
     * interrupted. A {@link CompletableFuture}, not an executor's {@code Future}: its {@code get} blocks a fork-join
     * worker as a managed blocker (the pool compensates), as ORAS' {@code HttpClient.send} did before.
     */
    private <T> T withinTimeout(String reference, Supplier<T> exchange) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread io = Thread.ofVirtual().name("oci-pull").start(() -> {
            try {
                result.complete(exchange.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new OciPullException(Kind.UNREACHABLE, "cannot pull " + reference + ": the registry did not send the manifest"
                    + " and the Wasm layer within the pull timeout of " + timeout.toString().substring(2).toLowerCase(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OciPullException(Kind.UNREACHABLE, "the pull of " + reference + " was interrupted", e);
        } finally {
            if (!result.isDone()) {
                io.interrupt();
            }
        }
    }

    /** A blob as a stream ({@code Registry.getBlob} decodes the body as text, which breaks binary content). */
    private byte[] fetch(Registry registry, ContainerRef blob) {
        try (var in = registry.fetchBlob(blob)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new OciPullException(Kind.TOO_LARGE, "the Wasm layer " + blob + " is larger than the " + maxBytes + " bytes allowed", null);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The registry part of a reference ({@code host[:port]}), as credentials are keyed. */
    public static String registryOf(String reference) {
        return parse(reference).getRegistry();
    }

    private static ContainerRef parse(String reference) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw new OciPullException(Kind.INVALID_REFERENCE, "'" + reference + "' is not an image reference", null);
        }
        if (reference.length() > MAX_REFERENCE) { // ORAS' parser recurses once per path segment: a long one overflowed the stack
            throw new OciPullException(Kind.INVALID_REFERENCE, "an image reference of " + reference.length()
                    + " characters is longer than the " + MAX_REFERENCE + " one may have", null);
        }
        try {
            return ContainerRef.parse(reference);
        } catch (RuntimeException e) {
            throw new OciPullException(Kind.INVALID_REFERENCE, "'" + reference + "' is not an image reference: " + rootMessage(e), e);
        }
    }

    private Registry registry(ContainerRef ref, RegistryCredentials credentials) {
        Registry.Builder b = credentials == null ? Registry.builder().defaults()
                : Registry.builder().defaults(credentials.username(), credentials.password());
        return b.withInsecure(insecure(ref.getRegistry())).build();
    }

    /** Loopback hosts and the configured ones: plain HTTP. */
    boolean insecure(String registry) {
        if (insecureRegistries.contains(registry)) {
            return true;
        }
        String host = registry.startsWith("[") ? registry.substring(1, registry.indexOf(']'))
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String manifestDigest(ContainerRef ref, Manifest manifest) {
        String computed = ModuleDigest.of(manifest.getJson().getBytes(StandardCharsets.UTF_8));
        String pinned = ref.getDigest();
        if (pinned != null && !pinned.equals(computed)) {
            throw new OciPullException(Kind.DIGEST_MISMATCH, "the manifest of " + ref + " has digest " + computed, null);
        }
        return computed;
    }

    private static Layer wasmLayer(String reference, Manifest manifest) {
        List<Layer> layers = manifest.getLayers() == null ? List.of() : manifest.getLayers();
        return layers.stream().filter(l -> WasmMediaTypes.LAYERS.contains(l.getMediaType())).findFirst()
                .orElseThrow(() -> new OciPullException(Kind.NOT_WASM, reference + " is not a Wasm artifact: its layers are "
                        + layers.stream().map(Layer::getMediaType).toList() + ", none of " + WasmMediaTypes.LAYERS, null));
    }

    private static void verify(String reference, String digest, byte[] bytes) {
        String actual = ModuleDigest.of(bytes);
        if (!actual.equals(digest)) {
            throw new OciPullException(Kind.DIGEST_MISMATCH, "the Wasm layer of " + reference + " is " + digest + " but its bytes are " + actual, null);
        }
        if (bytes.length < 4 || !new String(bytes, 0, 4, StandardCharsets.ISO_8859_1).equals(WASM_MAGIC)) {
            throw new OciPullException(Kind.NOT_WASM, reference + " is not a Wasm artifact: its Wasm layer does not start with \\0asm", null);
        }
    }

    private Optional<PulledModule> cached(String reference, String repository) {
        Path file = refs.resolve(hex(ModuleDigest.of(reference.getBytes(StandardCharsets.UTF_8))));
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(file).trim().split(" ");
            if (parts.length != 2) {
                return Optional.empty();
            }
            return blob(parts[1]).map(b -> new PulledModule(reference, repository, parts[0], parts[1], b));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The cached blob, if it is there and still has its digest. */
    private Optional<byte[]> blob(String digest) {
        Path file = blobs.resolve(hex(digest));
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)).filter(b -> ModuleDigest.of(b).equals(digest)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void store(String digest, byte[] bytes) {
        write(blobs, hex(digest), bytes);
    }

    private void remember(String reference, String manifestDigest, String layerDigest) {
        write(refs, hex(ModuleDigest.of(reference.getBytes(StandardCharsets.UTF_8))),
                (manifestDigest + " " + layerDigest).getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path dir, String name, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new OciPullException(Kind.DIGEST_MISMATCH, "not a sha256 digest: " + digest, null);
        }
        return digest.substring("sha256:".length());
    }

    private static OciPullException translate(String reference, OrasException e) {
        Integer status = e.getStatusCode();
        if (status != null && (status == 401 || status == 403)) {
            return new OciPullException(Kind.UNAUTHORIZED, "pull access denied for " + reference + " (HTTP " + status
                    + "): the registry wants credentials (imagePullSecrets)", e);
        }
        if (status != null && status == 404) {
            return new OciPullException(Kind.NOT_FOUND, reference + " not found in its registry (manifest unknown)", e);
        }
        return new OciPullException(Kind.UNREACHABLE, "cannot pull " + reference + ": "
                + (status != null ? "HTTP " + status : rootMessage(e)), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
