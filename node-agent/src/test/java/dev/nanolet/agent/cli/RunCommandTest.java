package dev.nanolet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... arguments) {
        var command = new RunCommand(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true));
        return command.execute(new ArrayList<>(List.of(arguments)));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void guestExitCodeBecomesTheCommandsExitCode() {
        assertThat(run("--env", "K=V", Fixtures.example("job.wasm").toString(), "5")).isEqualTo(5);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("arg[1]=5\n", "env K=V\n");
        assertThat(err()).isEqualTo("job finished\n");
    }

    @Test
    void dirPreopensAHostDirectoryAtAGuestPath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("in.txt"), "shared");

        assertThat(run("--dir", dir + "::/work", Fixtures.example("cat.wasm").toString(), "/work/in.txt")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("shared");
    }

    @Test
    void dirKeepsTheGuestInsideTheGrantedDirectory(@TempDir Path tmp) throws Exception {
        Path granted = Files.createDirectories(tmp.resolve("granted"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "host secret");
        Files.createSymbolicLink(granted.resolve("absolute"), secret);
        Files.createSymbolicLink(granted.resolve("relative"), Path.of("../secret.txt"));
        Files.createSymbolicLink(granted.resolve("up"), Path.of(".."));
        String cat = Fixtures.example("cat.wasm").toString();

        for (String path : List.of("/work/absolute", "/work/relative", "/work/up/secret.txt", "/work/../secret.txt")) {
            assertThat(run("--dir", granted + "::/work", cat, path)).as(path).isEqualTo(1);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err()).doesNotContain("host secret");
    }

    @Test
    void sqliteCreatesInsertsQueriesAndReopensItsFileInADir(@TempDir Path dir) {
        String sqlite = Fixtures.example("sqlite/sqlite-demo.wasm").toString();

        assertThat(run("--dir", dir + "::/data", sqlite, "/data/app.db", "one")).isZero();
        assertThat(run("--dir", dir + "::/data", sqlite, "/data/app.db", "two")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1|one\nrows=1 reopened=1", "1|one\n2|two\nrows=2 reopened=2");
        assertThat(dir.resolve("app.db")).isRegularFile();
    }

    /**
     * The operator's run had no disk quota: a module given --dir could fill the disk the directory is on. With
     * --dir-max-bytes the directories share one quota, counted as a replica's volumes are, and a write past it fails
     * with EDQUOT (disk-fill exits with that errno, 19); without the option there is none, as before.
     */
    @Test
    void dirMaxBytesIsADiskQuotaTheDirectoriesShare(@TempDir Path dir) throws Exception {
        String fill = Fixtures.example("fixtures/disk-fill.wasm").toString();
        Path other = Files.createDirectories(dir.resolve("other"));
        Path data = Files.createDirectories(dir.resolve("data"));

        assertThat(run("--dir", data + "::/data", "--dir", other + "::/other", "--dir-max-bytes", "1MB", fill)).isEqualTo(19);
        assertThat(Files.size(data.resolve("f"))).isLessThanOrEqualTo((1 << 20) - DiskQuota.ENTRY_BYTES).isGreaterThan(900_000);
        assertThat(run("--dir", data + "::/data", fill)).isZero();
        assertThat(Files.size(data.resolve("f"))).isEqualTo(1_000 * 16_384);
    }

    /**
     * Space a guest gives back itself counts at once: a run that filled its quota, then deleted the file, cut it (by
     * ftruncate or an O_TRUNC open) or renamed an empty file over it, writes as much again in the same run. Before,
     * the space came back only at the next check, which a run never has: each second fill failed with EDQUOT (19).
     * A file deleted while held open counts until it is closed, and then comes back (held), as it did not before.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unlink", "truncate", "otrunc", "rename", "held"})
    void spaceTheGuestGivesBackIsItsToWriteAgainInTheSameRun(String how, @TempDir Path dir) {
        String refill = Fixtures.example("wasi/refill.wasm").toString();

        assertThat(run("--dir", dir + "::/data", "--dir-max-bytes", "1MB", refill, "/data", how)).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("filled (\\d+), " + how + ", wrote \\1 again\n");
        assertThat(dir.resolve("b")).isNotEmptyFile();
    }

    /**
     * Dropping one of a file's two links (an unlink, or a rename over it) leaves its bytes on disk under the other, so
     * it gives back the entry alone. relink links a second name to each new file, writes 900 KiB into it and drops the
     * link: when that gave back the file's bytes too, which the run had charged once, ten files (9 MiB) went into a
     * quota of 1 MB; the second now meets EDQUOT (19).
     */
    @ParameterizedTest
    @ValueSource(strings = {"unlink", "rename"})
    void droppingOneOfTwoLinksGivesBackNoneOfTheBytesTheOtherHolds(String how, @TempDir Path dir) throws Exception {
        String relink = Fixtures.example("wasi/relink.wasm").toString();

        assertThat(run("--dir", dir + "::/data", "--dir-max-bytes", "1MB", relink, "/data", how)).as(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(19);
        try (var files = Files.list(dir)) {
            assertThat(files.mapToLong(f -> f.toFile().length()).sum()).isLessThanOrEqualTo(1 << 20);
        }
    }

    /**
     * A file deleted while the run holds it open keeps its bytes on disk until closed, so its delete gives nothing
     * back until closed: unlink-loop writes 300 KiB, unlinks the file and keeps it open, ten times, and is refused (EDQUOT, 19)
     * at the fourth under 1 MB, as in a replica, where a check comes between.
     */
    @Test
    void aFileDeletedWhileHeldOpenGivesNothingBack(@TempDir Path dir) {
        String loop = Fixtures.example("fixtures/unlink-loop.wasm").toString();

        assertThat(run("--dir", dir + "::/data", "--dir-max-bytes", "1MB", loop)).isEqualTo(19);
    }

    /**
     * A FIFO in an operator's --dir is not opened (ENOTSUP, 58): its open blocked until another process opened the
     * other end, past the run's deadline, and within the quota's lock, an O_TRUNC one within its give-back, so that
     * every write and delete of the quota waited with it. The FIFO is opened read-write at the end, which lets such an
     * open go on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "trunc"})
    void aFifoInADirIsRefusedNotOpened(String trunc, @TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        String fsop = Fixtures.example("wasi/fsop.wasm").toString();
        try {
            int exit = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run("--timeout-ms", "5000", "--dir", dir + "::/data",
                    "--dir-max-bytes", "1MB", fsop, "open", "/data/fifo", trunc));

            assertThat(exit).as(err()).isEqualTo(58);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("open: 58\n");
        } finally {
            FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        }
    }

    /** --dir-max-bytes without --dir limited nothing and was silently ignored: it is bad usage, saying why. */
    @Test
    void dirMaxBytesWithoutADirIsBadUsage() {
        assertThat(run("--dir-max-bytes", "1MB", Fixtures.example("job.wasm").toString())).isEqualTo(RunCommand.USAGE);
        assertThat(err()).startsWith("nanolet: --dir-max-bytes is a quota of the --dir directories, and none is given\n")
                .contains(RunOptions.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void limitsAndFailuresMapToConventionalExitCodes() {
        assertThat(run("--timeout-ms", "200", Fixtures.example("spin.wasm").toString())).isEqualTo(RunCommand.TIMEOUT);
        assertThat(run(Fixtures.example("fixtures/trap.wasm").toString())).isEqualTo(RunCommand.TRAP);
        assertThat(run("--memory-mib", "16", Fixtures.example("fixtures/grow.wasm").toString()))
                .isEqualTo(RunCommand.MEMORY_LIMIT);
        assertThat(err().lines()).hasSize(3).allMatch(line -> line.startsWith("nanolet: "));
    }

    @Test
    void usageAndFileProblemsHaveTheirOwnCodes(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.wasm"), "junk");

        assertThat(run("--memory-mib")).isEqualTo(RunCommand.USAGE);
        assertThat(run(dir.resolve("missing.wasm").toString())).isEqualTo(RunCommand.UNREADABLE);
        assertThat(run(junk.toString())).isEqualTo(RunCommand.INVALID_MODULE);
    }

    /** runtime.md's exit codes 65 and 66 come with a reason that names the file the user gave, in words. */
    @Test
    void aFileProblemIsNamedByTheFileInWords(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("job.c"), "int main() {}");

        assertThat(run(dir.resolve("missing.wasm").toString())).isEqualTo(RunCommand.UNREADABLE);
        assertThat(run(dir.toString())).isEqualTo(RunCommand.UNREADABLE);
        assertThat(run(junk.toString())).isEqualTo(RunCommand.INVALID_MODULE);
        assertThat(err().lines()).containsExactly(
                "nanolet: cannot read " + dir.resolve("missing.wasm") + ": no such file",
                "nanolet: cannot read " + dir + ": it is a directory",
                "nanolet: " + junk + " is refused: not a WebAssembly 1.0 binary module (bad magic header or version)");
    }

    /** The file's name is put in the runtime's reason as it is: a $1 or \ in it is no regex replacement's group or escape. */
    @Test
    void aFileWhoseNameHasADollarOrABackslashIsNamedAsItIs(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("job$1\\x.c"), "int main() {}");

        assertThat(run(junk.toString())).isEqualTo(RunCommand.INVALID_MODULE);
        assertThat(err()).isEqualTo("nanolet: " + junk + " is refused: not a WebAssembly 1.0 binary module (bad magic header or version)\n");
    }

    /** A --dir whose host directory is not there is refused before the run, not given to the guest as a mount it cannot open. */
    @Test
    void aDirWithoutItsHostDirectoryIsRefusedBeforeTheRun(@TempDir Path dir) {
        assertThat(run("--dir", dir.resolve("nope") + "::/data", Fixtures.example("cat.wasm").toString(), "/data/x"))
                .isEqualTo(RunCommand.UNREADABLE);
        Path nope = dir.resolve("nope");
        assertThat(err()).isEqualTo("nanolet: --dir " + nope + "::/data: " + nope + " is not a directory\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
