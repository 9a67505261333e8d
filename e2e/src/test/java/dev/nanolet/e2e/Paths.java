package dev.nanolet.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built jars and examples are, and free ports to run them on. */
final class Paths {
    private Paths() {}

    static Path root() {
        return Path.of(System.getProperty("nanolet.root", "..")).toAbsolutePath().normalize();
    }

    static Path jar(String module) {
        Path jar = root().resolve(module + "/target/" + module + "-" + System.getProperty("nanolet.version", "0.1.0-SNAPSHOT") + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built: run ./mvnw verify from the repository root");
        }
        return jar;
    }

    static Path example(String name) {
        return root().resolve("examples/" + name + ".wasm");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
