package dev.nanolet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.cli.RunOptions.UsageException;
import dev.nanolet.agent.runtime.Invocation.Directory;
import dev.nanolet.wire.DeploymentSpec.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunOptionsTest {

    @Test
    void optionsThenModuleThenGuestArguments() {
        RunOptions options = RunOptions.parse(List.of("--env", "A=1", "--env", "B=x=y", "--dir", "/tmp/data::/data",
                "--memory-mib", "32", "--timeout-ms", "1500", "dir/job.wasm", "7", "--env"));

        assertThat(options.module()).isEqualTo(Path.of("dir/job.wasm"));
        assertThat(options.args()).containsExactly("job.wasm", "7", "--env");
        assertThat(options.env()).isEqualTo(Map.of("A", "1", "B", "x=y"));
        assertThat(options.directories()).containsExactly(new Directory(Path.of("/tmp/data"), "/data"));
        assertThat(options.memoryMiB()).isEqualTo(32);
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void limitsDefaultToWhatAJobGets() {
        RunOptions options = RunOptions.parse(List.of("hello.wasm"));

        assertThat(options.memoryMiB()).isEqualTo(Limits.DEFAULT.memoryMiB());
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(Limits.DEFAULT.timeoutMs()));
        assertThat(options.args()).containsExactly("hello.wasm");
    }

    @Test
    void doubleDashEndsTheOptions() {
        assertThat(RunOptions.parse(List.of("--", "--weird.wasm")).module()).isEqualTo(Path.of("--weird.wasm"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--env", "--env|novalue", "--env|=v x.wasm", "--dir|/only x.wasm", "--dir|::/g x.wasm",
        "--memory-mib|0 x.wasm", "--timeout-ms|soon x.wasm", "--verbose|1 x.wasm",
        "--dir-max-bytes|0 x.wasm", "--dir-max-bytes|-1MB x.wasm", "--dir-max-bytes|lots x.wasm", "--dir-max-bytes|1XB x.wasm",
        "--dir-max-bytes|1e30 x.wasm", "--dir-max-bytes|9999999999999999999TB x.wasm", "--dir-max-bytes|9999999TB x.wasm",
        "--dir-max-bytes|0x10 x.wasm", "--dir-max-bytes|1.5MB x.wasm", "--dir-max-bytes", "--dir-max-bytes|1MB x.wasm"})
    void badArgumentsAreUsageErrors(String joined) {
        List<String> arguments = joined.isEmpty() ? List.of() : List.of(joined.split("[| ]"));

        assertThatThrownBy(() -> RunOptions.parse(arguments)).isInstanceOf(UsageException.class);
    }
}
