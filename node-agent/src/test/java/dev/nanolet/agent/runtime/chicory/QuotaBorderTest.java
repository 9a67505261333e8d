package dev.nanolet.agent.runtime.chicory;

import static dev.nanolet.agent.runtime.Fixtures.bytes;
import static dev.nanolet.agent.runtime.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RuntimeLimits;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rename or link takes one quota's lock and counts in one quota: between the directories of two quotas it is
 * {@code EXDEV}, as a project quota's border is on ext4 and XFS. Moved, a 512 KiB file left the first quota counting
 * it and entered the second uncounted, so a guest could write past the second's limit by writing in the first.
 */
class QuotaBorderTest {

    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Path a;
    private Path b;

    @BeforeEach
    void file() throws Exception {
        a = Files.createDirectories(dir.resolve("a"));
        b = Files.createDirectories(dir.resolve("b"));
        Files.write(a.resolve("f"), new byte[512 << 10]);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private Fixtures.Captured fsop(DiskQuota ofA, DiskQuota ofB, String call) {
        var runtime = new ChicoryRuntime(dir.resolve("node"), timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS);
        byte[] fsop = bytes("wasi/fsop.wasm");
        var directories = List.of(new Invocation.Directory(a, "/a", ofA), new Invocation.Directory(b, "/b", ofB));
        var out = new ByteArrayOutputStream();
        var result = runtime.compile(digest(fsop), fsop).run(new Invocation(List.of("fsop", call, "/a/f", "/b/f"), Map.of(),
                InputStream.nullInputStream(), out, OutputStream.nullOutputStream(), 64, Duration.ofSeconds(10), directories));
        return new Fixtures.Captured(result, out.toByteArray(), new byte[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rename", "link"})
    void aRenameOrLinkBetweenTwoQuotasIsExdev(String call) {
        var ofB = new DiskQuota(1 << 20);

        var run = fsop(new DiskQuota(1 << 20), ofB, call);

        assertThat(run.out()).isEqualTo(call + ": 75\n");
        assertThat(a.resolve("f")).exists();
        assertThat(b.resolve("f")).doesNotExist();
        assertThat(ofB.used()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rename", "link"})
    void aRenameOrLinkWithinOneQuotaIsMade(String call) {
        var shared = new DiskQuota(1 << 20);

        assertThat(fsop(shared, shared, call).out()).isEqualTo(call + ": 0\n");
        assertThat(b.resolve("f")).exists();
    }
}
