package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.DiskQuota;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delete reads, within {@link DiskQuota#freeing}, whether a run holds the file open and how many links it has, and
 * gives back its bytes only when neither keeps them on disk. An open or a link another guest of the replica made
 * between that read and the delete would keep the bytes on disk while the delete gave them back, so both run within
 * a step ({@link DiskQuota#changing}) and wait for a give-back under way.
 */
class StepsWaitForGiveBacksTest {

    @TempDir
    Path root;

    private final DiskQuota quota = new DiskQuota(1 << 20);
    private PathCalls calls;
    private int dir;

    @BeforeEach
    void guest() throws Exception {
        Files.write(root.resolve("f"), new byte[1000]);
        var quotas = new Quotas();
        quotas.put(root, quota);
        var fds = new FdTable();
        dir = fds.add(new GuestFd.Dir(root, List.of(), "/data", Rights.DIRECTORY, Rights.DIRECTORY | Rights.FILE));
        calls = new PathCalls(fds, new FileTimes(Clock.systemUTC()), new OpenFiles(16).of("t"), quotas);
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call} on a guest's own thread while a give-back is under way: it must wait for it to end. */
    private void waitsForAGiveBack(Call call) throws Exception {
        var guest = new AtomicReference<Thread>();
        CompletableFuture<Void> done;
        try (var freeing = quota.freeing()) {
            done = CompletableFuture.runAsync(() -> {
                guest.set(Thread.currentThread());
                try {
                    call.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, task -> Thread.ofPlatform().start(task));
            await().atMost(Duration.ofSeconds(10)).until(() -> done.isDone()
                    || guest.get() != null && guest.get().getState() == Thread.State.WAITING);

            assertThat(done).as("done while a give-back was under way").isNotDone();
        }
        done.get();
    }

    @Test
    void aLinkWaitsForAGiveBackUnderWay() throws Exception {
        waitsForAGiveBack(() -> calls.link(dir, 0, "f", dir, "g"));

        assertThat(root.resolve("g")).exists();
    }

    @Test
    void anOpenWaitsForAGiveBackUnderWay() throws Exception {
        waitsForAGiveBack(() -> calls.open(dir, 0, "f", 0, Rights.FD_READ, 0, 0));

        assertThat(quota.held(Files.readAttributes(root.resolve("f"), "basic:fileKey").get("fileKey"))).isTrue();
    }
}
