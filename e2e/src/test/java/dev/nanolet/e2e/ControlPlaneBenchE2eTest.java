package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The control-plane benchmark at a smoke-test size (a few seconds in CI): it proves the harness and
 * the node protocol it speaks still work. The figures are printed and written to
 * {@code e2e/target/bench/control-plane.txt}; nothing fails on a number. Full size, one command:
 *
 * <pre>./mvnw -B -ntp -Ddev -pl e2e -am verify -Dtest=ControlPlaneBenchE2eTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.nodes=100 -Dbench.replicas=10000 -Dbench.apis=2 [-Dbench.batched=false] [-Dbench.jfr=true]</pre>
 */
class ControlPlaneBenchE2eTest {
    @Test
    void everyReplicaRunsAndScalesToZeroOverTheRealNodeProtocol() throws Exception {
        ControlPlaneBench.Settings settings = ControlPlaneBench.Settings.fromSystemProperties(4, 40);
        ControlPlaneBench.Result result;
        try (ControlPlaneBench bench = new ControlPlaneBench(settings)) {
            result = bench.run();
        }
        String text = result.text();
        Bench.record(text, "control-plane.txt");
        assertThat(result.reportErrors()).as("status reports the platform refused").isZero();
        assertThat(result.deliveryP50Ms()).as("watch delivery measured").isNotNaN();
    }
}
