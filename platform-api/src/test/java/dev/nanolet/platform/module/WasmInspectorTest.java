package dev.nanolet.platform.module;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.limits.ModuleLimits;
import dev.nanolet.platform.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class WasmInspectorTest {

    @Test
    void aParseThatTakesLongerThanTheTimeoutIsRefusedNamingTheLimit() {
        var props = new ModuleProperties(DataSize.ofMegabytes(64), 1, Duration.ofNanos(1), ModuleLimits.DEFAULTS);
        try (var inspector = new WasmInspector(props)) {
            assertThatThrownBy(() -> inspector.inspect(Path.of("..", "examples", "fixtures", "huge-function.wasm")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("nanolet.modules.parse-timeout");
        }
    }
}
