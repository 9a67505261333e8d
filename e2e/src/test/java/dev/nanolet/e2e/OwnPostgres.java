package dev.nanolet.e2e;

import dev.nanolet.testsupport.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, which it may stop and start again (the shared test server
 * must never be stopped): the installed Debian binaries ({@code /usr/lib/postgresql/<v>/bin}),
 * a cluster in a temporary directory, a free loopback port kept across restarts. Runs as
 * {@code postgres} when the tests run as root, as {@code .ci/run} does.
 */
final class OwnPostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port = Paths.freePort();
    private final boolean root = "root".equals(System.getProperty("user.name"));

    OwnPostgres() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)"));
            dir = Files.createTempDirectory("nanolet-e2e-pg-");
            if (root) {
                run(false, "chown", "postgres", dir.toString());
            }
            run(root, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestPostgres.Database database() {
        return new TestPostgres.Database("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** Starts the server (again) and waits until it accepts connections. */
    OwnPostgres start() {
        run(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return this;
    }

    /** A fast shutdown: sessions are disconnected, as when an operator restarts the database. */
    void stop() {
        run(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    /**
     * Freezes the server and every session of it ({@code SIGSTOP}): connections stay open and nothing
     * answers, as with a server stuck on its disk or a link that drops packets (no reset, unlike {@link #stop}).
     */
    void freeze() {
        String pid = postmasterPid();
        run(false, "kill", "-STOP", pid);
        run(false, "pkill", "-STOP", "-P", pid);
    }

    /** Lets a {@link #freeze frozen} server and its sessions go on. */
    void thaw() {
        String pid = postmasterPid();
        run(false, "pkill", "-CONT", "-P", pid);
        run(false, "kill", "-CONT", pid);
    }

    private String postmasterPid() {
        try {
            return Files.readAllLines(dir.resolve("data/postmaster.pid")).getFirst().trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(boolean asPostgres, String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            run(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (IllegalStateException e) {
            // not running
        }
    }
}
