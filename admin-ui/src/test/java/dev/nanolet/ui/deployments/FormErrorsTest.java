package dev.nanolet.ui.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormErrorsTest {

    @Test
    void apiFieldPathsMapToTheFormInputs() {
        assertThat(FormErrors.field("spec.replicas")).isEqualTo("replicas");
        assertThat(FormErrors.field("spec.http.path")).isEqualTo("path");
        assertThat(FormErrors.field("spec.http")).isEqualTo("path");
        assertThat(FormErrors.field("spec.job")).isEqualTo("kind");
        assertThat(FormErrors.field("spec.job.restartPolicy")).isEqualTo("restartPolicy");
        assertThat(FormErrors.field("spec.limits.memoryMiB")).isEqualTo("memoryMiB");
        assertThat(FormErrors.field("spec.env.FOO")).isEqualTo("env");
        assertThat(FormErrors.field("spec.args[2]")).isEqualTo("args");
        assertThat(FormErrors.field("metadata.name")).isEqualTo("name");
        assertThat(FormErrors.field("spec.bindings")).isEqualTo(FormErrors.GLOBAL);
        assertThat(FormErrors.field(null)).isEqualTo(FormErrors.GLOBAL);
        assertThat(FormErrors.field("http.path")).isEqualTo("path");
        assertThat(FormErrors.field("limits.timeoutMs")).isEqualTo("timeoutMs");
        assertThat(FormErrors.field("env.1BAD")).isEqualTo("env");
        assertThat(FormErrors.field("nodeSelector.zone")).isEqualTo("nodeSelector");
        assertThat(FormErrors.field("spec")).isEqualTo(FormErrors.GLOBAL);
    }

    @Test
    void aProblemWithoutFieldErrorsBecomesAGlobalMessage() {
        var errors = FormErrors.from(new Problem(null, "Conflict", 409, "being deleted", null, List.of()));
        assertThat(errors.asMap()).containsEntry(FormErrors.GLOBAL, "being deleted");
    }
}
