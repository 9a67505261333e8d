package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.nanolet.agent.runtime.DiskQuota;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Growth the host refuses after the quota took it is given back: a file whose channel cannot be written stands for
 * any host refusal (a full disk, a file system's own largest file) that comes after the charge.
 */
class GrowthRefundTest {

    @TempDir
    Path root;

    private final DiskQuota quota = new DiskQuota(1 << 20);
    private final FdTable fds = new FdTable();
    private FdCalls calls;
    private int fd;

    private void open() throws IOException, Errno.Failure {
        Files.write(root.resolve("f"), new byte[10]);
        var quotas = new Quotas();
        quotas.put(root, quota);
        calls = new FdCalls(fds, new FileTimes(Clock.systemUTC()), quotas);
        var path = new SandboxPath(root, 0, List.of("f"), null, false);
        fd = fds.add(new GuestFd.File(path, FileChannel.open(root.resolve("f")), null, 0, Rights.FILE, 0));
    }

    @Test
    void anAllocateOrSetSizeTheHostRefusesIsGivenBack() throws Exception {
        open();

        assertThatThrownBy(() -> calls.allocate(fd, 0, 4096)).isInstanceOf(NonWritableChannelException.class);
        assertThatThrownBy(() -> calls.setSize(fd, 8192)).isInstanceOf(NonWritableChannelException.class);
        assertThat(quota.used()).isZero();
    }

    @Test
    void aWriteTheHostRefusesIsGivenBack() throws Exception {
        open();
        var memory = new ByteArrayMemory(new MemoryLimits(1));
        memory.writeI32(0, 64);
        memory.writeI32(4, 4096);

        assertThatThrownBy(() -> calls.write(memory, fd, 0, 1, 100)).isInstanceOf(NonWritableChannelException.class);
        assertThat(quota.used()).isZero();
    }

    /**
     * A write whose iovec reaches past the guest's memory traps as it copies the bytes out: the step took the growth
     * before the copy and gave nothing back, so the quota counted 900 KB that never landed until the next check (a
     * guest could fill its replica's quota so, each trapping request at once, for every other request of the replica).
     */
    @Test
    void aWriteWhoseBytesAreOutsideTheGuestsMemoryChargesNothing() throws Exception {
        open();
        var memory = new ByteArrayMemory(new MemoryLimits(1));
        memory.writeI32(0, 65_536 - 100);
        memory.writeI32(4, 4096);

        assertThatThrownBy(() -> calls.write(memory, fd, 0, 1, 900_000)).as("a trap, not the channel's refusal")
                .isInstanceOf(WasmRuntimeException.class);
        assertThat(quota.used()).isZero();
    }
}
