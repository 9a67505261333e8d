package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    Map<String, String> env(String... pairs) {
        var env = new java.util.HashMap<String, String>(Map.of("NANOLET_CONFIG", dir.resolve("config.json").toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void withoutLoginTheLocalAdminTokenOfNanoletUpIsUsed() throws Exception {
        Files.createDirectories(dir.resolve(".nanolet"));
        Files.writeString(dir.resolve(".nanolet/admin-token"), "local-secret\n");

        Config c = Config.load(env(), dir);

        assertThat(c).isEqualTo(new Config("http://localhost:8090", "local-secret", null));
        assertThat(Config.load(env("NANOLET_API_PORT", "9000", "NANOLET_NAMESPACE", "ci"), dir))
                .isEqualTo(new Config("http://localhost:9000", "local-secret", "ci"));
    }

    @Test
    void theTokenFileMayBeNamedAndNanoletTokenWins() throws Exception {
        Path file = Files.writeString(dir.resolve("elsewhere"), "from-file");

        assertThat(Config.load(env("NANOLET_TOKEN_FILE", file.toString()), dir).token()).isEqualTo("from-file");
        assertThat(Config.load(env("NANOLET_TOKEN_FILE", file.toString(), "NANOLET_TOKEN", "t", "NANOLET_SERVER", "http://s"), dir))
                .isEqualTo(new Config("http://s", "t", null));
    }

    @Test
    void aLoginConfigWinsOverTheLocalToken() throws Exception {
        Files.createDirectories(dir.resolve(".nanolet"));
        Files.writeString(dir.resolve(".nanolet/admin-token"), "local-secret");
        Files.writeString(dir.resolve("config.json"), "{\"server\":\"http://remote\",\"token\":\"saved\",\"namespace\":\"ns\"}");

        assertThat(Config.load(env(), dir)).isEqualTo(new Config("http://remote", "saved", "ns"));
    }

    /** NANOLET_CONFIG naming a directory, or a file under a file: exit 2 in words, where it was 1 with the JDK's exception. */
    @Test
    void aConfigThatCannotBeWrittenIsBadUsage() throws Exception {
        Config c = new Config("http://s", "t", "ci");
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        for (Path file : new Path[] {dir, notADirectory.resolve("config.json")}) {
            assertThatThrownBy(() -> c.save(file)).as(file.toString()).isInstanceOf(CliException.class)
                    .hasMessageStartingWith("cannot write " + file + ": ")
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
        }
        assertThatThrownBy(() -> c.save(dir)).hasMessage("cannot write " + dir + ": it is a directory");
        assertThatThrownBy(() -> c.save(dir.getRoot())).hasMessage("cannot write " + dir.getRoot() + ": it is a directory");
        assertThatThrownBy(() -> c.save(notADirectory.resolve("config.json")))
                .hasMessage("cannot write " + notADirectory.resolve("config.json") + ": " + notADirectory + " is not a directory");
    }

    /**
     * NANOLET_CONFIG naming a directory is a config that cannot be read, exit 2 as ci.md's table says: it was passed over as
     * no config, and the command went on as the local platform's admin, whose token was in the working directory.
     */
    @Test
    void aConfigThatIsADirectoryIsBadUsage() throws Exception {
        Files.createDirectories(dir.resolve(".nanolet"));
        Files.writeString(dir.resolve(".nanolet/admin-token"), "local-secret");

        assertThatThrownBy(() -> Config.load(env("NANOLET_CONFIG", dir.toString()), dir)).isInstanceOf(CliException.class)
                .hasMessage("cannot read " + dir + ": it is a directory")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
    }

    /** A config that is not JSON is said with what to do: "run nanolet login again" failed so, as login loads it too. */
    @Test
    void aBrokenConfigIsToBeRemovedBeforeTheNextLogin() throws Exception {
        Path broken = Files.writeString(dir.resolve("config.json"), "{broken");

        assertThatThrownBy(() -> Config.load(env(), dir)).isInstanceOf(CliException.class)
                .hasMessage("cannot read " + broken + ": remove it, then run nanolet login again (login reads it too)");
    }

    /**
     * NANOLET_CONFIG naming a pipe, as {@code NANOLET_CONFIG=<(vault read …)} does, is exit 2 too: it was passed over as a
     * directory was, and the command went on as the local platform's admin.
     */
    @Test
    void aConfigThatIsAPipeIsBadUsage() throws Exception {
        Files.createDirectories(dir.resolve(".nanolet"));
        Files.writeString(dir.resolve(".nanolet/admin-token"), "local-secret");
        Path pipe = dir.resolve("config.fifo");
        assumeThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).as("mkfifo").isZero();

        assertThatThrownBy(() -> Config.load(env("NANOLET_CONFIG", pipe.toString()), dir)).isInstanceOf(CliException.class)
                .hasMessage("cannot read " + pipe + ": it is a pipe, which the CLI would read more than once; name a file")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
    }

    @Test
    void nothingAnywhereLeavesServerAndTokenUnset() {
        Config c = Config.load(env(), dir);

        assertThat(c.server()).isNull();
        assertThat(c.token()).isNull();
    }
}
