package dev.nanolet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the repackaged jar as a user would: {@code java -jar node-agent.jar run job.wasm 3}. */
class RunCommandIT {

    @Test
    void theJarRunsAModuleAndExitsWithItsCode(@TempDir Path cache) throws Exception {
        Path jar = Path.of(System.getProperty("nanolet.node-agent.jar"));
        assertThat(jar).isRegularFile();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = cache.resolve("stdout");
        Path stderr = cache.resolve("stderr");
        var builder = new ProcessBuilder(java, "-jar", jar.toString(), "run", "--env", "WHO=it",
                Fixtures.example("job.wasm").toString(), "3", "hello")
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("NANOLET_NODE_DATA_DIR", cache.toString());

        Process process = builder.start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(3);
        assertThat(Files.readString(stdout, StandardCharsets.UTF_8))
                .contains("arg[0]=job.wasm\n", "arg[1]=3\n", "arg[2]=hello\n", "env WHO=it\n");
        assertThat(Files.readString(stderr, StandardCharsets.UTF_8)).endsWith("job finished\n");
        assertThat(cache.resolve("classes")).isDirectory();
    }
}
