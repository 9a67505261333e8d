package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The density benchmark at a smoke-test size (CI): it proves the harness works against the real jars —
 * every deployment answers with its own body, the first requests are timed, and after a SIGKILL the agent
 * serves every route again. The figures are printed and appended to {@code e2e/target/bench/density.txt};
 * nothing fails on a number. Full size, one command (docs/performance.md, "Density"):
 *
 * <pre>./mvnw -B -ntp -Ddev -pl e2e -am test -Dtest=DensityBenchE2eTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.deployments=5000 -Dbench.rounds=5 [-Dbench.variants=10] [-Dbench.heap=2g]</pre>
 */
class DensityBenchE2eTest {
    @Test
    void everyDeploymentAnswersAndAgainAfterTheAgentIsKilledAndStarted() throws Exception {
        // 10 deployments (one of them echo) and 2 rounds prove the harness as well as 30 and 5 did, in less of CI's time
        DensityBench.Settings settings = DensityBench.Settings.fromSystemProperties(10, 2);
        DensityBench.Result result;
        try (DensityBench bench = new DensityBench(settings)) {
            result = bench.run();
        }
        String text = result.text();
        Bench.record(text, "density.txt");
        assertThat(result.neverSeenMs()).as("first requests of never-seen modules timed").hasSize(settings.rounds());
        assertThat(result.heapIdleMiB()).as("heap read with jcmd").isPositive();
        assertThat(result.restartAllSeconds()).as("every route answered again after the restart").isPositive();
    }
}
