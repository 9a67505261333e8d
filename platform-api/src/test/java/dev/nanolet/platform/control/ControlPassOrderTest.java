package dev.nanolet.platform.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.PlatformApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The passes run in the named order of {@link ControlPass}, whatever order Spring finds them in. */
@PlatformApiTest
class ControlPassOrderTest {
    @Autowired
    List<ControlPass> passes;

    @Test
    void evictionThenDeploymentsThenSchedulingThenRetention() {
        assertThat(passes).extracting(p -> p.getClass().getSimpleName())
                .containsExactly("NodeEviction", "DeploymentReconciler", "Scheduler", "Retention");
    }
}
