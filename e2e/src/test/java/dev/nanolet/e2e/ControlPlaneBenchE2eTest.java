package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
        System.out.println(text);
        Path out = Paths.root().resolve("e2e/target/bench/control-plane.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        assertThat(result.reportErrors()).as("status reports the platform refused").isZero();
        assertThat(result.deliveryP50Ms()).as("watch delivery measured").isNotNaN();
    }
}
