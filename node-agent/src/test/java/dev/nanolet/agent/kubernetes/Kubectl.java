package dev.nanolet.agent.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code kubectl} on the PATH (Debian's kubernetes-client) run against a kubeconfig; its output gathered as it comes. */
final class Kubectl {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private Kubectl(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().name("kubectl-output").start(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process was destroyed
            }
        });
    }

    static Kubectl run(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=0"));
        command.addAll(List.of(args));
        try {
            return new Kubectl(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl is needed (Debian: apt-get install kubernetes-client)", e);
        }
    }

    /** The exit code, within 30 s. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl did not finish: " + output);
        }
        reader.join(5_000);
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }

    boolean alive() {
        return process.isAlive();
    }

    void destroy() {
        process.destroyForcibly();
    }
}
