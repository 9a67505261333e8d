package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WASI file system against wasmtime's answers, proven by {@code examples/wasi/fs-corners.c}
 * (append flags, pwrite in append mode, link, rename, symlink, filestat of a link, rights) and by
 * what the host sees afterwards: nothing outside the granted directory was read or touched.
 */
class WasiFileSystemTest {

    @TempDir
    Path tmp;

    @TempDir
    Path cache;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Path sandbox;
    private Path outside;

    @BeforeEach
    void prepare() throws IOException {
        sandbox = Files.createDirectories(tmp.resolve("sandbox"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(sandbox.resolve("sub"));
        Files.createDirectories(sandbox.resolve("swapped"));
        Files.writeString(sandbox.resolve("sub/file.txt"), "inside");
        Files.createSymbolicLink(sandbox.resolve("abs-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(sandbox.resolve("rel-link"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(sandbox.resolve("dir-link"), outside);
        Files.createSymbolicLink(sandbox.resolve("sub/up"), Path.of("../.."));
        Files.createSymbolicLink(sandbox.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(sandbox.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(sandbox.resolve("inside-link"), Path.of("sub/file.txt"));
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void fileSystemCornersAnswerAsWasmtimeDoes() throws IOException {
        var out = new ByteArrayOutputStream();
        RunResult result = run("wasi/fs-corners.wasm", out);

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report.lines().filter(l -> l.startsWith("FAIL"))).isEmpty();
        assertThat(result).isEqualTo(RunResult.exited(0));
        assertThat(report).contains("ok swap: old descriptor does not follow", "0 failures");
        assertThat(report.lines().filter(l -> l.startsWith("ok "))).hasSizeGreaterThan(80);

        assertThat(Files.readString(sandbox.resolve("append.txt"))).isEqualTo("Xbcd");
        assertThat(Files.readString(sandbox.resolve("append2.txt"))).isEqualTo("12");
        assertThat(Files.isSameFile(sandbox.resolve("orig.txt"), sandbox.resolve("hard.txt"))).isTrue();
        assertThat(Files.readSymbolicLink(sandbox.resolve("made"))).isEqualTo(Path.of("../outside/secret.txt"));
        assertThat(Files.isDirectory(sandbox.resolve("d5"))).isTrue();
    }

    @Test
    void nothingOutsideTheGrantedDirectoryIsTouched() throws IOException {
        run("wasi/fs-corners.wasm", new ByteArrayOutputStream());

        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).containsExactly(outside.resolve("secret.txt"));
        }
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("secret");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).containsExactlyInAnyOrder(sandbox, outside);
        }
    }

    /** A run holds at most 1,024 descriptors: the 1,022nd open without a close is EMFILE, not one more of the node's file handles. */
    @Test
    void aRunThatOpensWithoutClosingGetsEmfileAtItsTablesCap() {
        assertThat(run("fixtures/fd-flood.wasm", new ByteArrayOutputStream())).isEqualTo(RunResult.exited(33));
        assertThat(sandbox.resolve("f")).isRegularFile();
    }

    /**
     * The node's runs together hold at most their budget of open files (half the node's limit): an open past
     * it is ENFILE, before the run's own cap, and a run gives back every file it held when it ends.
     */
    @Test
    void runsTogetherHoldNoMoreFilesThanTheNodesBudgetAndGiveThemBackWhenTheyEnd() {
        var files = new OpenFiles(500);
        CompiledModule module = compileOn(files, "fixtures/fd-flood.wasm");

        for (int i = 0; i < 2; i++) {
            assertThat(module.run(invocation(new ByteArrayOutputStream()))).isEqualTo(RunResult.exited(41));
            assertThat(files.open()).isZero();
        }
    }

    /** An open the node's budget refuses (ENFILE) makes no file, as on Linux, where a process's open takes its fd first. */
    @Test
    void anOpenPastTheNodesBudgetCreatesNothing() {
        var files = new OpenFiles(2); // one deployment holds at most half: one file

        assertThat(compileOn(files, "fixtures/open-two.wasm").run(invocation(new ByteArrayOutputStream()))).isEqualTo(RunResult.exited(41));
        assertThat(sandbox.resolve("a")).isRegularFile();
        assertThat(sandbox.resolve("b")).doesNotExist();
        assertThat(files.open()).isZero();
    }

    /**
     * The budget was first come, first served: one deployment's runs opening files flat out took the whole of it
     * while it was free, and every other deployment's next open was ENFILE. A deployment now holds at most half, and
     * each open leaves an equal part free for one more, so another deployment's run opens its files all the same.
     */
    @Test
    void aDeploymentOpeningFilesFlatOutLeavesRoomForAnothersOpens() {
        var files = new OpenFiles(500);
        OpenFiles.Tenant hostile = files.of("default/hostile");
        int held = 0;
        try {
            while (held < 500) {
                hostile.acquire();
                held++;
            }
        } catch (Errno.Failure refused) {
            assertThat(refused.errno).isEqualTo(Errno.NFILE);
        }

        RunResult calm = compileOn(files, "fixtures/open-two.wasm").run(new Invocation(List.of("open-two"), Map.of(),
                InputStream.nullInputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream(), 16, Duration.ofSeconds(30),
                List.of(new Invocation.Directory(sandbox, "/sandbox")), null, "default/calm"));

        assertThat(calm).isEqualTo(RunResult.exited(0));
        assertThat(held).as("the hostile deployment's half").isEqualTo(250);
        assertThat(files.open()).isEqualTo(250);
    }

    private CompiledModule compileOn(OpenFiles files, String example) {
        var limits = RuntimeLimits.DEFAULTS;
        var runtime = new ChicoryRuntime(new Host(timer, Clock.systemUTC(), new java.util.Random(), limits,
                new MemoryBudget(limits.guestMemoryBytes()), files));
        byte[] bytes = Fixtures.bytes(example);
        return runtime.compile(Fixtures.digest(bytes), bytes);
    }

    /** A path longer than PATH_MAX is ENAMETOOLONG before the host copies it: 17 such calls allocate far less than one 60 MiB path. */
    @Test
    void aPathLongerThanPathMaxIsRefusedBeforeTheHostCopiesIt() {
        byte[] bytes = Fixtures.bytes("fixtures/long-path.wasm");
        CompiledModule module = new ChicoryRuntime(cache, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS).compile(Fixtures.digest(bytes), bytes);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

        long before = threads.getCurrentThreadAllocatedBytes();
        RunResult result = module.run(new Invocation(List.of("long-path"), Map.of(), InputStream.nullInputStream(),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), 64, Duration.ofSeconds(30),
                List.of(new Invocation.Directory(sandbox, "/sandbox"))));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(result).isEqualTo(RunResult.exited(17 * 37));
        assertThat(allocated).as("bytes allocated, the 61 MiB memory included").isLessThan(100L << 20);
    }

    /**
     * Writes past a directory's disk quota fail with EDQUOT as they happen: the file stops within the quota (its entry
     * counts 4 KiB), and what other runs of the replica charged counts too.
     */
    @Test
    void writesPastTheDirectorysDiskQuotaFailWithEdquot() throws IOException {
        var quota = new DiskQuota(1 << 20);

        assertThat(runUnder(quota, "fixtures/disk-fill.wasm")).isEqualTo(RunResult.exited(19));
        assertThat(Files.size(sandbox.resolve("f"))).isEqualTo((1 << 20) - (16 << 10));
        assertThat(quota.used()).isEqualTo(Files.size(sandbox.resolve("f")) + DiskQuota.ENTRY_BYTES);
    }

    /** Writing over bytes a file holds is no growth: 4 KiB written again 1,000 times fit a quota of 16 KiB. */
    @Test
    void writingOverWhatAFileHoldsCostsTheQuotaNothing() throws IOException {
        var quota = new DiskQuota(16 << 10);

        assertThat(runUnder(quota, "fixtures/overwrite.wasm")).isEqualTo(RunResult.exited(0));
        assertThat(quota.used()).isEqualTo(Files.size(sandbox.resolve("f")) + DiskQuota.ENTRY_BYTES).isEqualTo(8 << 10);
    }

    /**
     * A hard link costs the quota what its file holds, as the volume check counts it: past the quota it is EDQUOT,
     * not a success the next check fails the replica for.
     */
    @Test
    void aHardLinkCostsTheQuotaWhatItsFileHoldsAsTheCheckCountsIt() throws IOException {
        Files.write(sandbox.resolve("big"), new byte[600 << 10]);
        var quota = new DiskQuota(1 << 20);
        long big = (600 << 10) + DiskQuota.ENTRY_BYTES; // as measuring the volume found it
        assertThat(quota.charge(big)).isTrue();

        assertThat(runUnder(quota, "fixtures/link-big.wasm")).isEqualTo(RunResult.exited(19));
        assertThat(sandbox.resolve("big2")).doesNotExist();
        assertThat(quota.used()).isEqualTo(big);
    }

    /**
     * A seek to a position below 0 or past the largest file, an overflowing sum included, is EINVAL as on Linux, and
     * the position stays: the host's own refusal of a position past ext4's largest file came back as EIO.
     */
    @Test
    void aHostileSeekIsEinvalWhateverItsWhenceAndLeavesThePosition() {
        var out = new ByteArrayOutputStream();

        assertThat(runUnder(DiskQuota.NONE, "fixtures/seek-hostile.wasm", out)).isEqualTo(RunResult.exited(0));
        assertThat(out.toByteArray()).containsExactly(28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 5, 0, 15, 28);
    }

    /**
     * Growing a file by an offset and length that overflow or pass the largest file is EFBIG (a negative offset or an
     * empty length EINVAL), as Linux answers, and charges nothing: an overflowing fd_allocate succeeded doing nothing,
     * and one the host refused kept its charge (2^50 bytes here, under a quota that would take them).
     */
    @Test
    void growingAFilePastTheLargestOneIsEfbigAndChargesNothing() throws IOException {
        var quota = new DiskQuota(Long.MAX_VALUE - 1);
        var out = new ByteArrayOutputStream();

        assertThat(runUnder(quota, "fixtures/allocate-huge.wasm", out)).isEqualTo(RunResult.exited(0));
        assertThat(out.toByteArray()).containsExactly(22, 22, 22, 28, 28, 22, 22, 22, 22);
        assertThat(Files.size(sandbox.resolve("f"))).isZero();
        assertThat(quota.used()).isEqualTo(DiskQuota.ENTRY_BYTES);
    }

    private RunResult runUnder(DiskQuota quota, String example) {
        return runUnder(quota, example, new ByteArrayOutputStream());
    }

    private RunResult runUnder(DiskQuota quota, String example, ByteArrayOutputStream out) {
        byte[] bytes = Fixtures.bytes(example);
        CompiledModule module = new ChicoryRuntime(cache, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS).compile(Fixtures.digest(bytes), bytes);
        return module.run(new Invocation(List.of(example), Map.of(), InputStream.nullInputStream(), out,
                new ByteArrayOutputStream(), 16, Duration.ofSeconds(30), List.of(new Invocation.Directory(sandbox, "/sandbox", quota))));
    }

    private RunResult run(String example, ByteArrayOutputStream out) {
        byte[] bytes = Fixtures.bytes(example);
        CompiledModule module = new ChicoryRuntime(cache, timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS)
                .compile(Fixtures.digest(bytes), bytes);
        return module.run(invocation(out));
    }

    private Invocation invocation(ByteArrayOutputStream out) {
        return new Invocation(List.of("fs-corners"), Map.of(), InputStream.nullInputStream(), out, new ByteArrayOutputStream(), 16,
                Duration.ofSeconds(30), List.of(new Invocation.Directory(sandbox, "/sandbox")));
    }
}
