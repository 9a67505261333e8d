package dev.nanolet.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.limits.ModuleCheckException.LimitExceeded;
import dev.nanolet.limits.ModuleCheckException.Malformed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleScannerTest {

    private static final ModuleLimits DEFAULTS = ModuleLimits.DEFAULTS;

    private static Path example(String name) {
        return Path.of("..", "examples", name).toAbsolutePath().normalize();
    }

    private static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(example(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello.wasm", "echo.wasm", "job.wasm", "cat.wasm", "spin.wasm", "fixtures/huge-function.wasm",
        "fixtures/table-grow.wasm", "fixtures/table-bomb.wasm", "fixtures/iovec-flood.wasm", "fixtures/big-memory.wasm"})
    void theExamplesPassWithTheDefaults(String example) {
        assertThatCode(() -> ModuleScanner.check(example(example), DEFAULTS)).doesNotThrowAnyException();
    }

    @Test
    void aDataSegmentDeclaringMoreThanTheModuleHoldsIsMalformed() throws IOException {
        assertThat(bytes("fixtures/data-bomb.wasm")).hasSize(17);

        assertThatThrownBy(() -> ModuleScanner.check(bytes("fixtures/data-bomb.wasm"), DEFAULTS))
                .isInstanceOf(Malformed.class)
                .hasMessage("data segment 0 declares 2147483648 bytes but only 0 remain");
    }

    /**
     * Counts and lengths inside a section must fit the bytes left as well: Chicory sizes a list or
     * an array by them before it reads the entries (an 18-byte module with 2^26 parameters made it
     * allocate a 256 MiB list).
     */
    @Test
    void countsAndNamesInsideSectionsCannotDeclareMoreThanTheModuleHolds() {
        byte[] header = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
        record Case(String what, int[] section, String message) {}
        Stream.of(
                new Case("parameters", new int[] {1, 8, 1, 0x60, 0x80, 0x80, 0x80, 0x20, 0, 0}, "the parameters of type 0 declares 67108864"),
                new Case("results", new int[] {1, 8, 1, 0x60, 0, 0x80, 0x80, 0x80, 0x20, 0}, "the results of type 0 declares 67108864"),
                new Case("custom name", new int[] {0, 6, 0x80, 0x80, 0x80, 0x80, 0x04, 0}, "the custom section's name declares 1073741824"),
                new Case("export name", new int[] {7, 8, 1, 0x80, 0x80, 0x80, 0x80, 0x04, 0, 0}, "an export's name declares 1073741824"))
                .forEach(c -> {
                    byte[] module = Arrays.copyOf(header, header.length + c.section().length);
                    for (int i = 0; i < c.section().length; i++) {
                        module[header.length + i] = (byte) c.section()[i];
                    }
                    assertThatThrownBy(() -> ModuleScanner.check(module, DEFAULTS)).as(c.what())
                            .isInstanceOf(Malformed.class).hasMessageStartingWith(c.message());
                });
    }

    @Test
    void aFunctionBodyAboveTheLimitIsRefusedWithTheLimitAndTheValue() {
        assertThatThrownBy(() -> ModuleScanner.check(example("fixtures/nop-function.wasm"), DEFAULTS))
                .isInstanceOfSatisfying(LimitExceeded.class, e -> {
                    assertThat(e.limit()).isEqualTo("max-function-body-bytes");
                    assertThat(e.max()).isEqualTo(1 << 20);
                    assertThat(e.value()).isGreaterThan(1_100_000);
                })
                .hasMessageContaining("body of function 0").hasMessageContaining("max-function-body-bytes");
    }

    @Test
    void tooManyLocalsAreRefused() {
        assertThatThrownBy(() -> ModuleScanner.check(example("fixtures/many-locals.wasm"), DEFAULTS))
                .isInstanceOfSatisfying(LimitExceeded.class, e -> {
                    assertThat(e.limit()).isEqualTo("max-locals");
                    assertThat(e.value()).isEqualTo(40_000);
                });
    }

    @Test
    void aSecondMemoryIsRefusedAsMultiMemory() {
        assertThatThrownBy(() -> ModuleScanner.check(example("fixtures/two-memories.wasm"), DEFAULTS))
                .isInstanceOfSatisfying(LimitExceeded.class, e -> assertThat(e.limit()).isEqualTo("multi-memory"))
                .hasMessageContaining("multi-memory");
    }

    @Test
    void everyConfiguredLimitIsEnforced() {
        record Case(ModuleLimits limits, String example, String limit) {}
        Stream.of(
                new Case(new ModuleLimits(1, 0, 0, 0, 0, 0, 0, 0, 0, 0), "echo.wasm", "max-functions"),
                new Case(new ModuleLimits(0, 1, 0, 0, 0, 0, 0, 0, 0, 0), "echo.wasm", "max-imports"),
                new Case(new ModuleLimits(0, 0, 1, 0, 0, 0, 0, 0, 0, 0), "fixtures/big-memory.wasm", "max-exports"),
                new Case(new ModuleLimits(0, 0, 0, 0, 0, 0, 0, 0, 1000, 0), "echo.wasm", "max-code-bytes"),
                new Case(new ModuleLimits(0, 0, 0, 0, 0, 1, 0, 0, 0, 0), "fixtures/table-bomb.wasm", "max-data-segments"),
                new Case(new ModuleLimits(0, 0, 0, 0, 0, 0, 0, 0, 0, 2), "echo.wasm", "max-locals"))
                .forEach(c -> assertThatThrownBy(() -> ModuleScanner.check(example(c.example()), c.limits()))
                        .as(c.limit())
                        .isInstanceOfSatisfying(LimitExceeded.class, e -> assertThat(e.limit()).isEqualTo(c.limit())));
    }

    @Test
    void aTruncatedModuleIsMalformedUnlessItEndsBetweenSections() throws IOException {
        byte[] echo = bytes("echo.wasm");
        int passed = 0;
        for (int length = 0; length < echo.length; length++) {
            try {
                ModuleScanner.check(Arrays.copyOf(echo, length), DEFAULTS);
                passed++;
            } catch (Malformed expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(passed).isLessThan(20);
    }

    @Test
    void mutatedModulesFailOnlyWithACheckException() throws IOException {
        byte[] echo = bytes("echo.wasm");
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            byte[] mutated = echo.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[8 + random.nextInt(mutated.length - 8)] = (byte) random.nextInt(256);
            }
            try {
                ModuleScanner.check(mutated, DEFAULTS);
            } catch (ModuleCheckException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
