package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.VolumeProperties;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.chicory.ChicoryRuntime;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Volume directories on the node: where they are made, that a tenant never picks the host path, and when they go. */
class VolumesTest {

    @TempDir
    Path dataDir;

    private Volumes volumes() {
        return volumes(DataSize.ofGigabytes(1));
    }

    private Volumes volumes(DataSize max) {
        return new Volumes(new NodeProperties("n", Map.of(), 1, 1, 8181, null, dataDir), new VolumeProperties(max, Duration.ofSeconds(10)));
    }

    private static Assignment with(Volume... v) {
        var spec = new DeploymentSpec("sha256:x", null, new DeploymentSpec.JobSpec(null), 1, null, null, null, null, null, null, List.of(v));
        return new Assignment(UUID.randomUUID(), "default", "d", 1, "sha256:x", 0, spec, false);
    }

    @Test
    void eachVolumeIsAPrivateDirectoryUnderTheReplicasIdKeptWhenMadeAgain() throws Exception {
        Assignment a = with(new Volume("data", "/data"), new Volume("cache", "/var/cache"));
        Path replica = dataDir.resolve("volumes").resolve(a.replicaId().toString());

        List<Invocation.Directory> dirs = volumes().create(a);
        Files.writeString(replica.resolve("data/kept"), "x");

        assertThat(dirs).containsExactly(new Invocation.Directory(replica.resolve("data"), "/data", dirs.getFirst().quota()),
                new Invocation.Directory(replica.resolve("cache"), "/var/cache", dirs.getFirst().quota()));
        for (Path p : List.of(dataDir.resolve("volumes"), replica, replica.resolve("data"), replica.resolve("cache"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
        }
        assertThat(volumes().create(a)).extracting(Invocation.Directory::hostPath, Invocation.Directory::guestPath)
                .containsExactly(tuple(replica.resolve("data"), "/data"), tuple(replica.resolve("cache"), "/var/cache"));
        assertThat(replica.resolve("data/kept")).hasContent("x");
    }

    /**
     * A replica's volumes share one quota of the node's limit, which starts from what they already hold and is
     * measured again by the volume check: a file removed gives its bytes back then, not before.
     */
    @Test
    void theVolumesOfAReplicaShareOneQuotaOfTheLimitThatMeasuringSetsAgain() throws Exception {
        Assignment a = with(new Volume("data", "/data"), new Volume("cache", "/var/cache"));
        Volumes volumes = volumes(DataSize.ofKilobytes(64));
        Path replica = dataDir.resolve("volumes").resolve(a.replicaId().toString());
        Files.createDirectories(replica.resolve("data"));
        Files.write(replica.resolve("data/old"), new byte[10_000]);

        List<Invocation.Directory> dirs = volumes.create(a);
        DiskQuota quota = dirs.getFirst().quota();

        assertThat(dirs.getLast().quota()).isSameAs(quota);
        assertThat(quota.used()).isEqualTo(volumes.usage(a.replicaId(), Long.MAX_VALUE));
        assertThat(quota.charge((64 << 10) - quota.used() + 1)).isFalse();
        assertThat(quota.charge(20_000)).isTrue();
        assertThat(quota.charge(20_000)).isFalse();

        Files.delete(replica.resolve("data/old"));
        assertThat(volumes.measure(a.replicaId())).isEqualTo(quota.used()).isEqualTo(3 * Volumes.BLOCK);
        assertThat(quota.charge(20_000)).isTrue();
    }

    /**
     * A file a run holds open counts after it is unlinked: its bytes stay on disk until it is closed, and a check that
     * counted only what the walk finds let a run that writes 300 KiB, unlinks the file and keeps it open, ten times,
     * hold 3 MiB under a quota of 1 MiB (unlink-loop.wat, a check after every unlink).
     */
    @Test
    void aFileUnlinkedButHeldOpenStillCountsAtTheCheck() throws Exception {
        Assignment a = with(new Volume("data", "/data"));
        Volumes volumes = volumes(DataSize.ofMegabytes(1));
        List<Invocation.Directory> dirs = volumes.create(a);

        Checked run = runChecking("fixtures/unlink-loop.wasm", List.of("unlink-loop"), dirs, () -> volumes.measure(a.replicaId()));

        assertThat(run.result()).isEqualTo(RunResult.exited(19));
        assertThat(run.checks()).as("checks before EDQUOT").isEqualTo(4);
    }

    /** A run's result, and how many times the volumes were checked while it waited for stdin. */
    private record Checked(RunResult result, int checks) {}

    /** Runs the example {@code wasm} over {@code dirs}, running {@code check} each time it reads a byte of stdin. */
    private Checked runChecking(String wasm, List<String> args, List<Invocation.Directory> dirs, Runnable check) throws Exception {
        byte[] bytes = Fixtures.bytes(wasm);
        var timer = Executors.newSingleThreadScheduledExecutor();
        var guest = Executors.newSingleThreadExecutor();
        try {
            CompiledModule module = new ChicoryRuntime(dataDir.resolve("cache"), timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS)
                    .compile(Fixtures.digest(bytes), bytes);
            var ticks = new Ticks();
            Future<RunResult> run = guest.submit(() -> module.run(new Invocation(args, Map.of(), ticks,
                    OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), 16, Duration.ofSeconds(60), dirs)));
            while (!run.isDone()) {
                if (ticks.waiting.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    check.run();
                    ticks.go.put(1);
                }
            }
            return new Checked(run.get(), ticks.reads);
        } finally {
            guest.shutdownNow();
            timer.shutdownNow();
        }
    }

    /**
     * A file deleted while a run holds it, which the check between the delete and the close counts as held, comes
     * back once, at the close: refill fills its 1 MB, deletes the file it holds, waits while the volumes are checked,
     * closes it and writes as much again; the count is then what the volumes hold, not less, as a close that gave back
     * what the check had stopped counting would leave it, so that the run could write past the quota.
     */
    @Test
    void aHeldFileDeletedThenCheckedComesBackOnceAtItsClose() throws Exception {
        Assignment a = with(new Volume("data", "/data"));
        Volumes volumes = volumes(DataSize.ofMegabytes(1));
        List<Invocation.Directory> dirs = volumes.create(a);
        long[] held = {0};

        Checked run = runChecking("wasi/refill.wasm", List.of("refill", "/data", "held"), dirs,
                () -> held[0] = volumes.measure(a.replicaId()));

        assertThat(run.result()).isEqualTo(RunResult.exited(0));
        assertThat(run.checks()).as("deleted, held").isEqualTo(1);
        assertThat(held[0]).as("the check counts the deleted file held").isGreaterThan(900_000);
        assertThat(dirs.getFirst().quota().used()).isEqualTo(volumes.usage(a.replicaId(), Long.MAX_VALUE));
    }

    /**
     * A held file counts the same once unlinked as before: its bytes and the {@value DiskQuota#ENTRY_BYTES} bytes the
     * walk adds for every file. The unlinked count took only its bytes, so unlinking a held file gave back 4 KiB each
     * time, what a run could make into room by opening, unlinking and holding many small files.
     */
    @Test
    void aHeldFileCountsAsMuchOnceUnlinkedAsBefore() throws Exception {
        Assignment a = with(new Volume("data", "/data"));
        Volumes volumes = volumes();
        DiskQuota quota = volumes.create(a).getFirst().quota();
        Path file = dataDir.resolve("volumes/" + a.replicaId() + "/data/held");
        Files.write(file, new byte[1000]);
        try (FileChannel held = FileChannel.open(file, StandardOpenOption.READ)) {
            quota.hold(Files.readAttributes(file, BasicFileAttributes.class).fileKey(), held::size);
            long linked = volumes.measure(a.replicaId());

            Files.delete(file);

            assertThat(linked).isEqualTo(3 * Volumes.BLOCK + 1000);
            assertThat(volumes.measure(a.replicaId())).isEqualTo(linked).isEqualTo(quota.used());
        }
    }

    /**
     * A check that finds the volumes over the quota (filled under a larger limit) stops its walk there, so its count
     * is not what they hold, only that it is too much: giving back a deleted file's bytes from it let a guest delete a
     * file and write as much again, and keep the volumes over the quota for good. Nothing is given back until a check
     * finds them under it.
     */
    @Test
    void nothingIsGivenBackWhileTheLastCheckFoundTheVolumesOverTheQuota() throws Exception {
        Assignment a = with(new Volume("data", "/data"));
        Path data = Files.createDirectories(dataDir.resolve("volumes/" + a.replicaId() + "/data"));
        for (String name : List.of("a", "b", "c")) {
            Files.write(data.resolve(name), new byte[1 << 20]);
        }
        Volumes volumes = volumes(DataSize.ofMegabytes(1));
        DiskQuota quota = volumes.create(a).getFirst().quota();

        freed(quota, data.resolve("a"));

        assertThat(quota.charge(1 << 19)).as("room while 2 MiB of a 1 MiB quota are on disk").isFalse();
        Files.delete(data.resolve("b"));
        Files.delete(data.resolve("c"));
        volumes.measure(a.replicaId());
        Files.write(data.resolve("d"), new byte[900_000]);
        assertThat(quota.charge(DiskQuota.file(900_000))).isTrue();
        freed(quota, data.resolve("d"));
        assertThat(quota.charge(1 << 19)).as("under the quota at the last check, a give-back counts at once").isTrue();
    }

    /** Deletes {@code file} and gives back what it counted for, as a guest's unlink does. */
    private static void freed(DiskQuota quota, Path file) throws IOException {
        try (var freeing = quota.freeing()) {
            long size = Files.size(file);
            Files.delete(file);
            quota.freed(DiskQuota.file(size));
        }
    }

    /** The run's stdin: each read says it waits, then gives one byte once the test has checked the volumes. */
    private static final class Ticks extends InputStream {
        final Semaphore waiting = new Semaphore(0);
        final BlockingQueue<Integer> go = new LinkedBlockingQueue<>();
        int reads;

        @Override
        public int read() throws IOException {
            reads++;
            waiting.release();
            try {
                return go.take();
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            b[off] = (byte) read();
            return 1;
        }
    }

    @Test
    void aNameThatIsNotALabelIsRefusedAndMakesNothing() {
        for (String bad : new String[] {"..", "../../etc", "a/b", "/abs", "Data", ""}) {
            assertThatThrownBy(() -> volumes().create(with(new Volume(bad, "/data")))).as(bad)
                    .isInstanceOf(Volumes.InvalidVolumeException.class);
        }
        assertThatThrownBy(() -> volumes().create(with(new Volume("data", "relative")))).isInstanceOf(Volumes.InvalidVolumeException.class);
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void removalTakesTheReplicasTreeButNeverFollowsALinkOut() throws Exception {
        Path outside = Files.writeString(dataDir.resolve("outside.txt"), "keep me");
        Assignment a = with(new Volume("data", "/data"));
        Path data = volumes().create(a).getFirst().hostPath();
        Files.createDirectories(data.resolve("x/y"));
        Files.createSymbolicLink(data.resolve("x/link"), outside);
        Files.createSymbolicLink(data.resolve("dirlink"), dataDir);

        volumes().remove(a.replicaId());

        assertThat(data.getParent()).doesNotExist();
        assertThat(outside).hasContent("keep me");
    }

    @Test
    void aFullSnapshotKeepsOnlyTheVolumesOfItsReplicas() throws Exception {
        Assignment kept = with(new Volume("data", "/data"));
        Assignment gone = with(new Volume("data", "/data"));
        volumes().create(kept);
        volumes().create(gone);
        Path stranger = Files.createDirectories(dataDir.resolve("volumes/not-a-replica"));

        volumes().retainOnly(Set.of(kept.replicaId()));

        assertThat(dataDir.resolve("volumes").resolve(kept.replicaId().toString())).isDirectory();
        assertThat(dataDir.resolve("volumes").resolve(gone.replicaId().toString())).doesNotExist();
        assertThat(stranger).isDirectory();
    }

    @Test
    void usageIsTheBytesOfItsFilesAndABlockPerEntryNeverThroughALink() throws Exception {
        Path big = Files.write(dataDir.resolve("outside.bin"), new byte[1 << 20]);
        Assignment a = with(new Volume("data", "/data"));
        Path data = volumes().create(a).getFirst().hostPath();
        Files.write(data.resolve("file"), new byte[10_000]);
        Files.createSymbolicLink(data.resolve("link"), big);
        Files.createSymbolicLink(data.resolve("dirlink"), dataDir);

        // the replica's directory, data/, file, link, dirlink
        assertThat(volumes().usage(a.replicaId(), Long.MAX_VALUE)).isEqualTo(5 * Volumes.BLOCK + 10_000);
        assertThat(volumes().usage(a.replicaId(), 1)).as("stops once above").isLessThan(5 * Volumes.BLOCK + 10_000);
        assertThat(volumes().usage(UUID.randomUUID(), Long.MAX_VALUE)).isZero();
    }
}
