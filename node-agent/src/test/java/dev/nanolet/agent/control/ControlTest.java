package dev.nanolet.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.nanolet.agent.AgentTestBase;
import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.replica.Replicas;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import dev.nanolet.wire.EventReport;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The node protocol against an in-process platform-api: lease, watch, reports, jobs, static stability. */
class ControlTest extends AgentTestBase {

    @Autowired
    Replicas replicas;

    @Test
    void registersWithItsCapacityAndRenewsTheLease() {
        await().until(() -> platform.registrations.stream().anyMatch(r -> r.name().equals("n1") && r.capacity().instances() > 0));
        int renewals = platform.leases.size();
        await().until(() -> platform.leases.size() >= renewals + 2);
    }

    @Test
    void usesTheCredentialItWasIssuedOnEveryCallAndKeepsItPrivate() throws Exception {
        await().until(() -> platform.credential("n1") != null && java.nio.file.Files.exists(cache.resolve(NodeIdentity.FILE)));
        int renewals = platform.leases.size();
        await().until(() -> platform.leases.size() >= renewals + 2);
        assertThat(java.nio.file.Files.getPosixFilePermissions(cache.resolve(NodeIdentity.FILE))).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(platform.registrationTokens).as("the bootstrap token registers, nothing else")
                .allMatch(t -> t.equals("Bearer " + FakePlatform.TOKEN) || t.startsWith("Bearer nlt_node_"));
    }

    @Test
    void aRevokedCredentialIsReplacedThroughTheBootstrapToken() {
        await().until(() -> platform.credential("n1") != null);
        String old = platform.credential("n1");
        platform.revoke("n1");
        await().until(() -> platform.credential("n1") != null && !platform.credential("n1").equals(old));
        int renewals = platform.leases.size();
        await().until(() -> platform.leases.size() >= renewals + 2);
    }

    @Test
    void aGoneResourceVersionMakesTheNodeListAgain() {
        Assignment stays = http("relist-stays", "/relist-stays", "hello.wasm", null);
        Assignment goes = http("relist-goes", "/relist-goes", "hello.wasm", null);
        platform.put(stays);
        platform.put(goes);
        await().untilAsserted(() -> client().get().uri("/relist-goes").exchange().expectStatus().isOk().expectBody(Void.class));
        int fresh = platform.freshWatches.get();

        platform.goneOnResume = true;
        platform.down(true);
        platform.delete(goes.replicaId());
        platform.down(false);

        await().until(() -> platform.freshWatches.get() > fresh);
        assertThat(platform.goneOnResume).as("the resume was answered 410").isFalse();
        await().untilAsserted(() -> client().get().uri("/relist-goes").exchange().expectStatus().isNotFound().expectBody(Void.class));
        client().get().uri("/relist-stays").exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void registersAgainWhenThePlatformHasForgottenTheNode() {
        await().until(() -> !platform.registrations.isEmpty());
        int registrations = platform.registrations.size();
        platform.forgetNode = true;
        await().until(() -> platform.registrations.size() > registrations);
    }

    @Test
    void aJobThatExitsZeroSucceedsAndKeepsItsLogs() {
        Assignment job = job("ok", RestartPolicy.Never, "0");
        platform.put(job);
        awaitPhase(job.replicaId(), ReplicaPhase.Succeeded);
        // Pulling and Starting too unless another test ran job.wasm here or a later report superseded them before they went out
        assertThat(platform.phases(job.replicaId())).containsSubsequence(ReplicaPhase.Running, ReplicaPhase.Succeeded)
                .endsWith(ReplicaPhase.Succeeded);
        await().until(() -> platform.eventsOf(job.replicaId()).size() >= 3);
        assertThat(platform.eventsOf(job.replicaId())).extracting(EventReport::type, EventReport::reason).containsExactly(
                tuple("Normal", "Pulled"), tuple("Normal", "Started"), tuple("Normal", "Completed"));
        assertThat(platform.eventsOf(job.replicaId()).getFirst().message()).contains(job.moduleDigest());

        String logs = client().get().uri("/_nanolet/v1/replicas/{id}/logs?tail=50&follow=false", job.replicaId())
                .header("Authorization", "Bearer " + platform.logsToken("n1"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(logs).contains("\"line\":\"arg[1]=0\"", "\"stream\":\"stdout\"", "\"line\":\"job finished\"", "\"stream\":\"stderr\"");
        client().get().uri("/_nanolet/v1/replicas/{id}/logs", job.replicaId()).exchange().expectStatus().isUnauthorized().expectBody(Void.class);
        for (String other : new String[] {FakePlatform.TOKEN, platform.credential("n1"), platform.logsToken("n1") + "x"}) {
            client().get().uri("/_nanolet/v1/replicas/{id}/logs", job.replicaId()).header("Authorization", "Bearer " + other)
                    .exchange().expectStatus().isUnauthorized().expectBody(Void.class);
        }
    }

    @Test
    void interpreterFallbackShowsAsAWarningEventAndTheJobStillRuns() {
        String digest = module("fixtures/huge-function.wasm");
        Assignment base = job("huge", RestartPolicy.Never);
        Assignment a = new Assignment(base.replicaId(), "default", "huge", 1, digest, 0,
                new dev.nanolet.wire.DeploymentSpec(digest, null, base.spec().job(), 1, null, null, null, null), false);
        platform.put(a);
        awaitPhase(a.replicaId(), ReplicaPhase.Succeeded);
        assertThat(platform.events).anyMatch(e -> e.replica().equals(a.replicaId()) && e.event().type().equals("Warning")
                && e.event().reason().equals("CompilerWarning") && e.event().message().contains("interpreter"));
    }

    @Test
    void aJobThatExitsNonZeroFailsWithItsExitCode() {
        Assignment job = job("fails", RestartPolicy.Never, "3");
        platform.put(job);
        awaitPhase(job.replicaId(), ReplicaPhase.Failed);
        assertThat(platform.last(job.replicaId())).isEqualTo(new ReplicaStatusReport(ReplicaPhase.Failed, "ExitCode", "exit code 3", 0));
        await().until(() -> platform.eventsOf(job.replicaId()).size() >= 3);
        assertThat(platform.eventsOf(job.replicaId())).extracting(EventReport::type, EventReport::reason, EventReport::message)
                .containsExactly(tuple("Normal", "Pulled", platform.eventsOf(job.replicaId()).getFirst().message()),
                        tuple("Normal", "Started", "started job"), tuple("Warning", "ExitCode", "exit code 3"));
    }

    @Test
    void aCrashLoopReportsEachBackOffAndRestartButTheIdenticalFailureOnlyOnceInTenSeconds() {
        Assignment job = job("loops", RestartPolicy.OnFailure, "3");
        platform.put(job);
        await().until(() -> platform.eventsOf(job.replicaId()).size() >= 7);
        assertThat(platform.eventsOf(job.replicaId()).subList(0, 7)).extracting(EventReport::type, EventReport::reason, EventReport::message)
                .containsExactly(
                        tuple("Normal", "Pulled", platform.eventsOf(job.replicaId()).getFirst().message()),
                        tuple("Normal", "Started", "started job"),
                        tuple("Warning", "ExitCode", "exit code 3"),
                        tuple("Warning", "BackOff", "restarting failed job in 300ms"),
                        tuple("Normal", "Started", "started job (restart 1)"),
                        tuple("Warning", "BackOff", "restarting failed job in 600ms"),
                        tuple("Normal", "Started", "started job (restart 2)"));
        platform.delete(job.replicaId());
        await().until(() -> replicas.find(job.replicaId()).isEmpty());
    }

    @Test
    void onFailureRestartsWithADoublingBackOff() {
        Assignment job = job("crashes", RestartPolicy.OnFailure, "2");
        platform.put(job);
        await().until(() -> backOffs(job).size() >= 3);
        assertThat(backOffs(job).subList(0, 3)).extracting(ReplicaStatusReport::message).containsExactly(
                "back-off 300ms restarting failed job (exit code 2)",
                "back-off 600ms restarting failed job (exit code 2)",
                "back-off 1200ms restarting failed job (exit code 2)");
        assertThat(backOffs(job)).extracting(ReplicaStatusReport::restarts).startsWith(0, 1, 2);
        assertThat(platform.events).anyMatch(e -> e.replica().equals(job.replicaId()) && e.event().reason().equals("ExitCode"));
        platform.delete(job.replicaId());
        await().until(() -> replicas.find(job.replicaId()).isEmpty());
    }

    private static List<ReplicaStatusReport> backOffs(Assignment job) {
        return platform.statuses.stream().filter(s -> s.replica().equals(job.replicaId()))
                .map(FakePlatform.Status::report).filter(r -> r.phase() == ReplicaPhase.CrashLoopBackOff).toList();
    }

    @Test
    void aReportThePlatformKeepsFailingHoldsUpOnlyItsOwnReplica() {
        Assignment stuck = job("stuck", RestartPolicy.Never, "0");
        Assignment fine = job("fine", RestartPolicy.Never, "0");
        platform.failingReports.add(stuck.replicaId());
        platform.put(stuck);
        platform.put(fine);
        awaitPhase(fine.replicaId(), ReplicaPhase.Succeeded);
        assertThat(platform.phases(stuck.replicaId())).isEmpty();
        platform.failingReports.remove(stuck.replicaId());
        awaitPhase(stuck.replicaId(), ReplicaPhase.Succeeded);
    }

    @Test
    void aModuleWhoseBytesDoNotMatchItsDigestIsNeverRun() {
        String claimed = Fixtures.digest("what the platform stored".getBytes(StandardCharsets.UTF_8));
        platform.modules.put(claimed, Fixtures.bytes("echo.wasm"));
        Assignment base = http("tampered", "/tampered", "hello.wasm", null);
        Assignment a = new Assignment(base.replicaId(), "default", "tampered", 1, claimed, 0, base.spec(), false);
        platform.put(a);
        awaitPhase(a.replicaId(), ReplicaPhase.Failed);
        assertThat(platform.last(a.replicaId()).reason()).isEqualTo("ModuleFetchFailed");
        assertThat(platform.phases(a.replicaId())).doesNotContain(ReplicaPhase.Running);
    }

    @Test
    void bytesThatAreNotWasmFailAsInvalidModule() {
        byte[] junk = "not a module".getBytes(StandardCharsets.UTF_8);
        String digest = Fixtures.digest(junk);
        platform.modules.put(digest, junk);
        Assignment base = http("junk", "/junk", "hello.wasm", null);
        Assignment a = new Assignment(base.replicaId(), "default", "junk", 1, digest, junk.length,
                base.spec(), false);
        platform.put(a);
        awaitPhase(a.replicaId(), ReplicaPhase.Failed);
        assertThat(platform.last(a.replicaId()).reason()).isEqualTo("InvalidModule");
    }

    @Test
    void terminatingHandshakeStopsTheReplicaReportsTerminatingAndForgetsItOnDelete() {
        Assignment a = http("bye", "/bye", "hello.wasm", null);
        platform.put(a);
        awaitPhase(a.replicaId(), ReplicaPhase.Running);
        client().get().uri("/bye").exchange().expectStatus().isOk().expectBody(Void.class);

        platform.put(new Assignment(a.replicaId(), a.namespace(), a.deployment(), a.revision(), a.moduleDigest(), 0, a.spec(), true));
        awaitPhase(a.replicaId(), ReplicaPhase.Terminating);
        assertThat(platform.eventsOf(a.replicaId())).extracting(EventReport::reason).containsExactly("Pulled", "Started", "Killing");
        client().get().uri("/bye").exchange().expectStatus().isNotFound().expectBody(Void.class);
        platform.delete(a.replicaId());
        await().until(() -> replicas.find(a.replicaId()).isEmpty());
    }

    @Test
    void keepsServingWhilePlatformIsDownAndReconcilesWithoutRestartsWhenItReturns() {
        Assignment stable = http("stable", "/stable", "hello.wasm", null);
        Assignment doomed = http("doomed", "/doomed", "hello.wasm", null);
        platform.put(stable);
        platform.put(doomed);
        awaitPhase(stable.replicaId(), ReplicaPhase.Running);
        awaitPhase(doomed.replicaId(), ReplicaPhase.Running);
        int connections = platform.watchConnections.get();
        long lastSeen = platform.version();

        platform.down(true);
        int attempts = platform.watchAttempts.get();
        long down = System.nanoTime();
        try {
            platform.delete(doomed.replicaId());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30))
                    .failFast("/stable stopped answering while the platform was down",
                            () -> client().get().uri("/stable").exchange().expectStatus().isOk().expectBody(Void.class))
                    .until(() -> true);
            client().get().uri("/doomed").exchange().expectStatus().isOk().expectBody(Void.class);
            int retries = platform.watchAttempts.get() - attempts;
            long downMillis = Duration.ofNanos(System.nanoTime() - down).toMillis();
            // delays of 50 ms doubling to 300 ms, each up to half shorter by jitter: a busy machine only makes fewer
            assertThat(retries).as("reconnects back off, never hammer, in %d ms", downMillis)
                    .isBetween(1, 4 + (int) (downMillis / 150));
        } finally {
            platform.down(false);
        }

        await().until(() -> platform.watchConnections.get() > connections);
        assertThat(platform.watchResumes).contains(Long.toString(lastSeen));
        await().untilAsserted(() -> client().get().uri("/doomed").exchange().expectStatus().isNotFound().expectBody(Void.class));
        client().get().uri("/stable").exchange().expectStatus().isOk().expectBody(Void.class);
        assertThat(platform.eventsOf(stable.replicaId())).extracting(EventReport::reason).containsOnlyOnce("Pulled", "Started");
        assertThat(replicas.find(stable.replicaId())).isPresent();
    }
}
