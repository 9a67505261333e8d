package dev.nanolet.agent.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The committed example modules ({@code examples/}) and small invocations around them. */
public final class Fixtures {

    private Fixtures() {}

    /** A module from {@code examples/}, for example {@code hello.wasm} or {@code fixtures/trap.wasm}. */
    public static Path example(String name) {
        Path path = Path.of("..", "examples", name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing example " + path + " (run examples/build.sh)");
        }
        return path;
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(example(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One run's captured output. */
    public record Captured(RunResult result, byte[] stdout, byte[] stderr) {
        public String out() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String err() {
            return new String(stderr, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public static Captured run(CompiledModule module, List<String> args, Map<String, String> env, byte[] stdin,
            int memoryMiB, Duration timeout) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var invocation = new Invocation(args, env, new ByteArrayInputStream(stdin), out, err, memoryMiB, timeout, List.of());
        RunResult result = module.run(invocation);
        return new Captured(result, out.toByteArray(), err.toByteArray());
    }
}
