package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.nanolet.agent.runtime.DiskQuota;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two guests of one replica share its volumes and quota. A truncation gives its bytes back at once, so one guest
 * cutting a file while the other writes into it must not let that write put the bytes back uncharged: the write read
 * the size before the cut, charged no growth, and lands past the new end. The give-back waits for the write step
 * under way, so the quota counts at least what the check would find, and the two cannot pass it together.
 */
class TruncationRaceTest {

    @TempDir
    Path root;

    private final DiskQuota quota = new DiskQuota(1 << 20);
    private final Quotas quotas = new Quotas();

    private FdCalls guest(FdTable fds) {
        return new FdCalls(fds, new FileTimes(Clock.systemUTC()), quotas);
    }

    private static int add(FdTable fds, Path root, FileChannel channel) throws Errno.Failure {
        var path = new SandboxPath(root, 0, List.of("f"), null, false);
        return fds.add(new GuestFd.File(path, channel, null, 0, Rights.FILE, 0));
    }

    @Test
    void aTruncationWaitsForAWriteUnderWaySoTheQuotaNeverCountsLessThanTheDisk() throws Exception {
        Path f = Files.write(root.resolve("f"), new byte[900_000]);
        quotas.put(root, quota);
        quota.measured(DiskQuota.file(900_000), quota.mark()); // a check found the file
        var writerFds = new FdTable();
        var cutterFds = new FdTable();
        var paused = new PausingChannel(FileChannel.open(f, StandardOpenOption.WRITE));
        int writing = add(writerFds, root, paused);
        int cutting = add(cutterFds, root, FileChannel.open(f, StandardOpenOption.WRITE));
        var memory = new ByteArrayMemory(new MemoryLimits(1));
        memory.writeI32(0, 64);
        memory.writeI32(4, 4096);

        Executor ownThread = task -> Thread.ofPlatform().start(task); // each guest its thread, as a replica's run
        var write = CompletableFuture.supplyAsync(() -> call(() -> guest(writerFds).write(memory, writing, 0, 1, 800_000)),
                ownThread);
        paused.writing.await();
        var cutter = new AtomicReference<Thread>();
        var cut = CompletableFuture.supplyAsync(() -> {
            cutter.set(Thread.currentThread());
            return call(() -> {
                guest(cutterFds).setSize(cutting, 0);
                return 0L;
            });
        }, ownThread);
        await().atMost(Duration.ofSeconds(30)).until(() -> cut.isDone()
                || cutter.get() != null && cutter.get().getState() == Thread.State.WAITING);
        paused.go();

        assertThat(write.get()).isEqualTo(4096);
        assertThat(cut.get()).isZero();
        assertThat(quota.used()).as("what the next check will find").isGreaterThanOrEqualTo(DiskQuota.file(Files.size(f)));
        assertThat(quota.take((1 << 20) - DiskQuota.file(Files.size(f)) + 1)).as("room past the quota").isNegative();
    }

    private interface Call {
        long run() throws Exception;
    }

    private static long call(Call call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
