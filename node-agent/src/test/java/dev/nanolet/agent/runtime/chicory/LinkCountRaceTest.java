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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delete gives back a file's bytes only with its last link, counting the links within {@link DiskQuota#freeing}.
 * A link another guest of the replica made between that count and the delete would keep the bytes on disk while
 * the delete gave them back, so a link is made within a step, and waits for a give-back under way.
 */
class LinkCountRaceTest {

    @TempDir
    Path root;

    @Test
    void aLinkWaitsForAGiveBackUnderWay() throws Exception {
        Files.write(root.resolve("f"), new byte[1000]);
        var quota = new DiskQuota(1 << 20);
        var quotas = new Quotas();
        quotas.put(root, quota);
        var fds = new FdTable();
        int dir = fds.add(new GuestFd.Dir(root, List.of(), "/data", Rights.DIRECTORY, Rights.DIRECTORY | Rights.FILE));
        var calls = new PathCalls(fds, new FileTimes(Clock.systemUTC()), new OpenFiles(16).of("t"), quotas);
        var linker = new AtomicReference<Thread>();

        CompletableFuture<Void> link;
        try (var freeing = quota.freeing()) {
            link = CompletableFuture.runAsync(() -> {
                linker.set(Thread.currentThread());
                try {
                    calls.link(dir, 0, "f", dir, "g");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, task -> Thread.ofPlatform().start(task));
            await().atMost(Duration.ofSeconds(10)).until(() -> link.isDone()
                    || linker.get() != null && linker.get().getState() == Thread.State.WAITING);

            assertThat(root.resolve("g")).as("linked while a give-back was under way").doesNotExist();
        }
        link.get();
        assertThat(root.resolve("g")).exists();
    }
}
