package dev.nanolet.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built CLI as a pipeline would: a process with an environment, in a working directory, with the tests' quick-start JVM options. */
final class CliProcess {
    private final Path dir;
    private final Map<String, String> env;

    CliProcess(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    /** Exit code and both outputs of one run. */
    record Result(int exitCode, String stdout, String stderr) {}

    /** Runs the CLI's classes out of its built jar ({@link CliClasspath}): as {@link #runJar} does, at about half the CPU per JVM start. */
    Result run(String... args) {
        return run(CliClasspath.launch(), args);
    }

    /** Runs the built jar itself, {@code java -jar}, as a pipeline does. */
    Result runJar(String... args) {
        List<String> launch = new ArrayList<>(ServiceProcess.QUICK_START);
        launch.addAll(List.of("-jar", Paths.jar("cli").toString()));
        return run(launch, args);
    }

    private Result run(List<String> launch, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(launch);
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("nanolet " + String.join(" ", args) + " did not end within 3 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
