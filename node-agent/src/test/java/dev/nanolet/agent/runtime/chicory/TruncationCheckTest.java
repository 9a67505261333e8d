package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.DiskQuota;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fd_filestat_set_size} cuts the file, then gives back what it cut. The node's check takes no lock of the
 * guests', and one that ends between the two (here from within the truncation) set the count from a walk that found
 * the file cut already: the give-back after it took those bytes off again, counting less than the volumes hold.
 */
class TruncationCheckTest {

    @TempDir
    Path root;

    private final DiskQuota quota = new DiskQuota(1 << 20);

    @Test
    void aCheckEndingBetweenTheCutAndItsGiveBackLeavesTheCountAtWhatTheDiskHolds() throws Exception {
        Path f = Files.write(root.resolve("f"), new byte[900_000]);
        var quotas = new Quotas();
        quotas.put(root, quota);
        quota.measured(DiskQuota.file(900_000), quota.mark());
        var channel = new PausingChannel(FileChannel.open(f, StandardOpenOption.WRITE)) {
            @Override
            public FileChannel truncate(long size) throws IOException {
                super.truncate(size);
                quota.measured(DiskQuota.file(Files.size(f)), quota.mark()); // the check, its walk after the cut
                return this;
            }
        };
        var fds = new FdTable();
        int fd = fds.add(new GuestFd.File(new SandboxPath(root, 0, List.of("f"), null, false), channel, null, 0, Rights.FILE, 0));

        new FdCalls(fds, new FileTimes(Clock.systemUTC()), quotas).setSize(fd, 100_000);

        assertThat(quota.used()).as("what the next check will find").isEqualTo(DiskQuota.file(100_000));
    }
}
