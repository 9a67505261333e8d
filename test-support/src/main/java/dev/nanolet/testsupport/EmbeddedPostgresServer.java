package dev.nanolet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A throwaway PostgreSQL server for tests, from the binaries zonky publishes on Maven Central.
 * PostgreSQL refuses to run as root, so when the JVM runs as root the server runs as
 * {@code nobody} (through {@code runuser}); that is why this does not use zonky's own launcher.
 */
final class EmbeddedPostgresServer {
    private EmbeddedPostgresServer() {}

    /** Starts a server on a free loopback port; it stops when the JVM exits. Returns its JDBC URL. */
    static String start() throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("nanolet-test-pg-");
        extractBinaries(home);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(false, List.of("chown", "-R", "nobody", home.toString()));
        }
        Path data = home.resolve("data");
        run(root, List.of(home.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8"));
        int port = freePort();
        run(root, List.of(home.resolve("bin/pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
                "start"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(root, home)));
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static void extractBinaries(Path home) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm_64" : "x86_64";
        String resource = "postgres-linux-" + arch + ".txz";
        try (InputStream raw = EmbeddedPostgresServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IOException(resource + " is not on the class path (io.zonky.test.postgres binaries)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    Path target = home.resolve(e.getName()).normalize();
                    if (!target.startsWith(home)) {
                        throw new IOException("archive entry outside its directory: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                                (e.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void run(boolean asNobody, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + output);
        }
    }

    private static void stop(boolean root, Path home) {
        try {
            run(root, List.of(home.resolve("bin/pg_ctl").toString(), "-D", home.resolve("data").toString(), "-m", "immediate", "stop"));
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL in " + home + " did not stop cleanly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
