package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.WasmRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ChicoryRuntimeConfigurationTest {

    @Test
    void theRuntimeCachesCompiledClassesUnderTheNodeCacheDirectory(@TempDir Path cacheDir) {
        new ApplicationContextRunner()
                .withUserConfiguration(ChicoryRuntimeConfiguration.class)
                .withPropertyValues("nanolet.node.data-dir=" + cacheDir)
                .run(context -> {
                    byte[] hello = Fixtures.bytes("hello.wasm");
                    context.getBean(WasmRuntime.class).compile(Fixtures.digest(hello), hello);

                    assertThat(cacheDir.resolve("classes").resolve("chicory-1.7.5")).isDirectoryContaining("glob:**.jar");
                });
    }
}
