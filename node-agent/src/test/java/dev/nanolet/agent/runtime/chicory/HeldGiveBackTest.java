package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.DiskQuota;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The space of a file deleted while a run holds it open comes back when the last run holding it closes it, not at
 * the next check only, which {@code node-agent run} never has; and dropping a link of a held file that another link
 * keeps gives back its entry at once, as for a file no run holds.
 */
class HeldGiveBackTest {

    private static final int SIZE = 100_000;

    @TempDir
    Path root;

    private final DiskQuota quota = new DiskQuota(1 << 20);
    private final FdTable fds = new FdTable();
    private PathCalls paths;
    private FdCalls calls;
    private int dir;

    @BeforeEach
    void guest() throws Exception {
        Files.write(root.resolve("f"), new byte[SIZE]);
        var quotas = new Quotas();
        quotas.put(root, quota);
        dir = fds.add(new GuestFd.Dir(root, List.of(), "/data", Rights.DIRECTORY, Rights.DIRECTORY | Rights.FILE));
        var times = new FileTimes(Clock.systemUTC());
        paths = new PathCalls(fds, times, new OpenFiles(16).of("t"), quotas);
        calls = new FdCalls(fds, times, quotas);
        quota.measured(DiskQuota.file(SIZE), quota.mark());
    }

    private int open() throws Exception {
        return paths.open(dir, 0, "f", 0, Rights.FD_READ, 0, 0);
    }

    @Test
    void aFileDeletedWhileHeldGivesItsBytesBackWhenTheLastRunHoldingItClosesIt() throws Exception {
        int one = open();
        int two = open();
        paths.unlinkFile(dir, "f");
        assertThat(quota.used()).as("held, on disk").isEqualTo(DiskQuota.file(SIZE));

        calls.close(one);
        assertThat(quota.used()).as("still held by the other").isEqualTo(DiskQuota.file(SIZE));

        calls.close(two);
        assertThat(quota.used()).isZero();
    }

    @Test
    void droppingALinkOfAHeldFileThatAnotherKeepsGivesBackItsEntry() throws Exception {
        int held = open();
        paths.link(dir, 0, "f", dir, "g");
        long linked = quota.used();

        paths.unlinkFile(dir, "f");
        assertThat(quota.used()).isEqualTo(linked - DiskQuota.ENTRY_BYTES);

        paths.unlinkFile(dir, "g");
        calls.close(held);
        assertThat(quota.used()).isEqualTo(linked - DiskQuota.ENTRY_BYTES - DiskQuota.file(SIZE));
    }
}
