package dev.nanolet.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.config.VolumeProperties;
import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.RunResult;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ModuleDigest;
import dev.nanolet.wire.ReplicaPhase;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The node's volume check as a lifecycle: what stopping it leaves to the guests. */
class VolumeLimitsTest {

    final FakeRuntime runtime = new FakeRuntime();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final GuestPool guests = new GuestPool(1, 1, Duration.ofSeconds(2), timer);

    @TempDir
    Path dataDir;

    @AfterEach
    void close() {
        guests.close();
        timer.shutdownNow();
    }

    /**
     * A check reads the size of a guest's unlinked open file through the guest's own channel; stopping the check
     * with an interrupt (shutdownNow) closed that channel under the guest (ClosedByInterruptException), so a node
     * stopping its checks broke the files its runs still had open. The check stops without an interrupt.
     */
    @Test
    void aGuestsOpenFileSurvivesStoppingTheCheckInTheMiddleOfReadingIt() throws Exception {
        runtime.behaviours.put("holds", inv -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RunResult.exited(0);
        });
        Assignment a = holding();
        Replicas replicas = ReplicasFixture.replicas(dataDir, ReplicasFixture.QUIET, runtime, (r, d) -> HOLDS, guests, timer);
        replicas.apply(new ReplicaAction.Start(a));
        await().until(() -> replicas.find(a.replicaId()).orElseThrow().phase() == ReplicaPhase.Running);
        var props = new VolumeProperties(DataSize.ofGigabytes(1), Duration.ofMillis(1));
        var volumes = new Volumes(ReplicasFixture.node(dataDir), props);
        DiskQuota quota = volumes.create(a).getFirst().quota();
        Path file = dataDir.resolve("volumes/" + a.replicaId() + "/data/open");
        try (FileChannel guestsFile = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            guestsFile.write(ByteBuffer.wrap(new byte[100]));
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            Files.delete(file);
            var limits = new VolumeLimits(replicas, volumes, props);
            var stopper = Thread.ofPlatform().unstarted(limits::stop);
            var reading = new CountDownLatch(1);
            quota.hold(key, () -> {
                if (reading.getCount() > 0) {
                    reading.countDown();
                    while (stopper.getState() == Thread.State.NEW || stopper.getState() == Thread.State.RUNNABLE) {
                        Thread.onSpinWait(); // until stop() has done what it does to this check
                    }
                }
                return guestsFile.size();
            });

            limits.start();
            reading.await();
            stopper.start();
            stopper.join();

            assertThat(guestsFile.isOpen()).isTrue();
            assertThat(guestsFile.size()).isEqualTo(100);
            assertThat(limits.isRunning()).isFalse();
        } finally {
            replicas.apply(new ReplicaAction.Terminate(a));
        }
    }

    private static final byte[] HOLDS = "holds".getBytes(StandardCharsets.UTF_8);

    private static Assignment holding() {
        String digest = ModuleDigest.of(HOLDS);
        var spec = new DeploymentSpec(digest, null, new DeploymentSpec.JobSpec(null), 1, null, null, null, null, null, null,
                List.of(new DeploymentSpec.Volume("data", "/data")));
        return new Assignment(UUID.randomUUID(), "default", "holds", 1, digest, HOLDS.length, spec, false);
    }
}
