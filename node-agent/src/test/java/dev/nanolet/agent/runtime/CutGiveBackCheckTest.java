package dev.nanolet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A give-back ({@link DiskQuota#freeing}) cuts on disk (a delete, a truncation) and then gives back what it cut
 * ({@link DiskQuota#freed}). The node's check ({@code replica.Volumes.measure}: a mark, a walk, {@link DiskQuota#measured})
 * takes no lock of the guests', so one can end between the cut and the give-back; its walk no longer found the bytes,
 * and giving them back after it counted less than the volumes hold. The check's steps are taken here at that seam.
 */
class CutGiveBackCheckTest {

    private static final int KEPT = 500_000;
    private static final int CUT = 100_000;

    @TempDir
    Path dir;

    private final DiskQuota quota = new DiskQuota(1 << 20);
    private Path cut;

    @BeforeEach
    void files() throws Exception {
        cut = Files.write(dir.resolve("cut"), new byte[CUT]);
        Files.write(dir.resolve("kept"), new byte[KEPT]);
        quota.measured(DiskQuota.file(CUT) + DiskQuota.file(KEPT), quota.mark());
    }

    /** A check whose walk found the kept file alone, as every walk after the delete does. */
    private void checked() {
        quota.measured(DiskQuota.file(KEPT), quota.mark());
    }

    @Test
    void aCheckEndingBetweenTheDeleteAndItsGiveBackIsNotGivenBackAgain() throws Exception {
        try (var freeing = quota.freeing()) {
            Files.delete(cut);
            checked();
            quota.freed(DiskQuota.file(CUT));
        }

        assertThat(quota.used()).as("what the volumes hold").isEqualTo(DiskQuota.file(KEPT));
        assertThat(quota.take((1 << 20) - DiskQuota.file(KEPT) + 1)).as("room past the quota").isNegative();
    }

    @Test
    void aCheckEndedBeforeTheGiveBackBeganLeavesItToCount() throws Exception {
        quota.measured(DiskQuota.file(CUT) + DiskQuota.file(KEPT), quota.mark());
        try (var freeing = quota.freeing()) {
            Files.delete(cut);
            quota.freed(DiskQuota.file(CUT));
        }

        assertThat(quota.used()).isEqualTo(DiskQuota.file(KEPT));
    }
}
