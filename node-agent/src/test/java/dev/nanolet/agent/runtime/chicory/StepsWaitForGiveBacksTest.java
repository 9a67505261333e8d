package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.runtime.DiskQuota;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A delete reads, within {@link DiskQuota#freeing}, whether a run holds the file open and how many links it has, and
 * gives back its bytes only when neither keeps them on disk. An open or a link another guest of the replica made
 * between that read and the delete would keep the bytes on disk while the delete gave them back, so both run within
 * a step ({@link DiskQuota#changing}) and wait for a give-back under way.
 */
class StepsWaitForGiveBacksTest {

    private static final int O_CREAT = 1;
    private static final int O_EXCL = 1 << 2;
    private static final int O_TRUNC = 1 << 3;

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
        waitsForAGiveBack(call, () -> {}).get();
    }

    /**
     * As {@link #waitsForAGiveBack(Call)}, the give-back doing {@code meanwhile} once {@code call} waits for it;
     * answers the call, under way.
     */
    private CompletableFuture<Void> waitsForAGiveBack(Call call, Call meanwhile) throws Exception {
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
            await().atMost(Duration.ofSeconds(30)).until(() -> done.isDone()
                    || guest.get() != null && guest.get().getState() == Thread.State.WAITING);

            assertThat(done).as("done while a give-back was under way").isNotDone();
            meanwhile.run();
        }
        return done;
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

    /**
     * Another guest renames a FIFO (which only an operator's directory holds) over the path while an open, which found
     * a regular file there, waits for that rename's give-back: the open checks what it opens within its own step, which
     * no rename of the quota can come into, so it answers ENOTSUP, where it opened the FIFO and blocked in open(2) (no
     * other end) with its quota's step held. The FIFO is opened read-write at the end, which lets such an open go on.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, O_TRUNC})
    void aFifoRenamedOverThePathWhileAnOpenWaitsIsRefusedNotOpened(int oflags) throws Exception {
        Path fifo = root.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try {
            var open = waitsForAGiveBack(() -> calls.open(dir, 0, "f", oflags, Rights.FD_WRITE, 0, 0),
                    () -> Files.move(fifo, root.resolve("f"), StandardCopyOption.ATOMIC_MOVE));

            assertThatThrownBy(() -> open.get(20, TimeUnit.SECONDS)).rootCause()
                    .isInstanceOfSatisfying(Errno.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.NOTSUP));
        } finally {
            FileChannel.open(root.resolve("f"), StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        }
    }

    /**
     * A new entry is charged before the host makes it, and another guest may make one at its path meanwhile (here
     * while the open or link waits for a give-back): the host then refuses to make it, or an open without
     * {@code O_EXCL} opens the other guest's file, and the charge for an entry never made is given back. It stayed,
     * too much until the next check, for the whole run under {@code node-agent run}, which has none.
     */
    @ParameterizedTest
    @ValueSource(strings = {"open", "exclusive open", "link"})
    void aCreateThatAnotherGuestsEntryBeatsGivesItsChargeBack(String call) throws Exception {
        var made = waitsForAGiveBack(() -> {
            switch (call) {
                case "open" -> calls.open(dir, 0, "g", O_CREAT, Rights.FD_WRITE, 0, 0);
                case "exclusive open" -> calls.open(dir, 0, "g", O_CREAT | O_EXCL, Rights.FD_WRITE, 0, 0);
                default -> calls.link(dir, 0, "f", dir, "g");
            }
        }, () -> Files.createFile(root.resolve("g"))); // the other guest's entry, charged by its own call

        if (call.equals("open")) {
            made.get();
        } else {
            assertThatThrownBy(made::get).rootCause().isInstanceOf(FileAlreadyExistsException.class);
        }
        assertThat(quota.used()).as("charged for an entry the call did not make").isZero();
    }
}
