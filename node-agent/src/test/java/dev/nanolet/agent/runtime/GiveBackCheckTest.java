package dev.nanolet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A give-back counts only what the count still holds, whatever the node's check ({@code replica.Volumes.measure}: a
 * mark, the keys held, a walk, {@link DiskQuota#unlinked}, {@link DiskQuota#measured}, taken here step by step) did in
 * between. A delete gives back after its cut, and a check that ended between the two (its walk after the delete) no
 * longer counts the file. The last close of a held file whose last link a guest deleted gives back before its cut (the
 * close): a check that counted it as held open leaves it to the close; one that never counted it (held after the
 * check took the keys held, deleted before its walk passed) leaves nothing to give back. Giving back what the count
 * did not hold counted less than the volumes hold.
 */
class GiveBackCheckTest {

    private static final int KEPT = 500_000;
    private static final int HELD = 100_000;

    @TempDir
    Path dir;

    private final DiskQuota quota = new DiskQuota(1 << 20);
    private Path held;

    @BeforeEach
    void files() throws Exception {
        held = Files.write(dir.resolve("held"), new byte[HELD]);
        Files.write(dir.resolve("kept"), new byte[KEPT]);
        quota.measured(DiskQuota.file(HELD) + DiskQuota.file(KEPT), quota.mark());
    }

    @Test
    void aCheckEndingBetweenADeleteAndItsGiveBackIsNotGivenBackAgain() throws Exception {
        try (var freeing = quota.freeing()) {
            Files.delete(held); // no run holds it here
            checked(quota.mark(), Set.of());
            quota.freed(DiskQuota.file(HELD));
        }

        assertThat(quota.used()).as("what the volumes hold").isEqualTo(DiskQuota.file(KEPT));
        assertThat(quota.take((1 << 20) - DiskQuota.file(KEPT) + 1)).as("room past the quota").isNegative();
    }

    @Test
    void aCheckEndedBeforeTheGiveBackBeganLeavesItToCount() throws Exception {
        quota.measured(DiskQuota.file(HELD) + DiskQuota.file(KEPT), quota.mark());
        try (var freeing = quota.freeing()) {
            Files.delete(held);
            quota.freed(DiskQuota.file(HELD));
        }

        assertThat(quota.used()).isEqualTo(DiskQuota.file(KEPT));
    }

    /** Deletes the held file's last link, as a guest's unlink does. */
    private void deleteHeld(Object key) throws Exception {
        try (var freeing = quota.freeing()) {
            Files.delete(held);
            quota.lastLinkGone(key);
        }
    }

    /** The end of a check begun at {@code mark} with {@code before} held, whose walk found the kept file alone. */
    private void checked(long mark, Set<Object> before) {
        quota.measured(DiskQuota.file(KEPT) + quota.unlinked(before, Set.of()), mark);
    }

    private Object key() throws Exception {
        return Files.readAttributes(held, BasicFileAttributes.class).fileKey();
    }

    @Test
    void aCheckThatCountedTheFileHeldLeavesItsBytesToTheClose() throws Exception {
        try (FileChannel channel = FileChannel.open(held, StandardOpenOption.READ)) {
            Object key = key();
            Runnable letGo = quota.hold(key, channel::size);
            deleteHeld(key);
            checked(quota.mark(), quota.heldKeys());
            assertThat(quota.used()).as("held, on disk").isEqualTo(DiskQuota.file(HELD) + DiskQuota.file(KEPT));

            letGo.run();
        }

        assertThat(quota.used()).isEqualTo(DiskQuota.file(KEPT));
    }

    @Test
    void aCheckThatNeverCountedTheFileLeavesNothingToTheClose() throws Exception {
        long mark = quota.mark();
        Set<Object> before = quota.heldKeys();
        try (FileChannel channel = FileChannel.open(held, StandardOpenOption.READ)) {
            Object key = key();
            Runnable letGo = quota.hold(key, channel::size);
            deleteHeld(key);
            checked(mark, before);

            letGo.run();
        }

        assertThat(quota.used()).isEqualTo(DiskQuota.file(KEPT));
    }

    /**
     * A check that ends while the last close gives back (here within the size the close reads) finds the file still
     * held and counts it, which the give-back then takes off: the hold was let go before, so the check counted the
     * file nowhere and the give-back took it off all the same.
     */
    @Test
    void aCheckWhileTheLastCloseGivesBackCountsTheFileStillHeld() throws Exception {
        try (FileChannel channel = FileChannel.open(held, StandardOpenOption.READ)) {
            Object key = key();
            boolean[] checked = {false};
            Runnable letGo = quota.hold(key, () -> {
                if (!checked[0]) {
                    checked[0] = true;
                    checked(quota.mark(), quota.heldKeys());
                }
                return channel.size();
            });
            deleteHeld(key);

            letGo.run();
        }

        assertThat(quota.used()).isEqualTo(DiskQuota.file(KEPT));
    }
}
