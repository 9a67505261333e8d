package dev.nanolet.platform.module;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.platform.BadRequestException;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.io.TempDir;

import dev.nanolet.limits.ModuleLimits;
import dev.nanolet.platform.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class WasmInspectorTest {

    @Test
    void aParseThatTakesLongerThanTheTimeoutIsRefusedNamingTheLimit() {
        var props = new ModuleProperties(DataSize.ofMegabytes(64), 1, Duration.ofMillis(1), ModuleLimits.DEFAULTS, null, null, null, Duration.ofMinutes(2), null);
        try (var inspector = new WasmInspector(props)) {
            assertThatThrownBy(() -> inspector.inspect(Path.of("..", "examples", "fixtures", "huge-function.wasm")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("nanolet.modules.parse-timeout");
        }
    }

    /** A name section whose subsection runs past its end passes the scanner; Chicory's parser fails inside the JDK. */
    @Test
    void aModuleTheParserFailsOnInsideTheJdkIsRefusedWithoutJavaText(@TempDir Path dir) throws IOException {
        Path module = Files.write(dir.resolve("bad-name-section.wasm"),
                new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x05, 0x00});
        var props = new ModuleProperties(DataSize.ofMegabytes(64), 1, Duration.ofSeconds(10), ModuleLimits.DEFAULTS, null, null, null, Duration.ofMinutes(2), null);
        try (var inspector = new WasmInspector(props)) {
            assertThatThrownBy(() -> inspector.inspect(module))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessage("not a valid WebAssembly module: the parser could not read it");
        }
    }
}
