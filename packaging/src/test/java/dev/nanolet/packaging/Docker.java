package dev.nanolet.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The docker and compose command lines, run from the repository root; a failed command throws with its output. */
final class Docker {
    private Docker() {}

    /** {@code docker-compose} (v1, Debian's) when installed, else the {@code docker compose} plugin. */
    static List<String> compose() {
        return onPath("docker-compose") ? List.of("docker-compose") : List.of("docker", "compose");
    }

    static String run(Map<String, String> env, Duration timeout, String... command) {
        return run(env, timeout, List.of(command));
    }

    static String run(Map<String, String> env, Duration timeout, List<String> command) {
        try {
            Path log = Files.createTempFile("nanolet-docker", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.root().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            if (!done || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + (done ? " exited " + p.exitValue() : " timed out")
                        + ":\n" + tail(output));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> with(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static String tail(String output) {
        return output.length() > 4000 ? "…" + output.substring(output.length() - 4000) : output;
    }
}
