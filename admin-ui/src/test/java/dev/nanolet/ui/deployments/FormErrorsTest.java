package dev.nanolet.ui.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Problem;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.support.StaticMessageSource;
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
        assertThat(FormErrors.field("spec.volumes")).isEqualTo(FormErrors.GLOBAL);
        assertThat(FormErrors.field("bindings[1].secret")).isEqualTo("bindings");
        assertThat(FormErrors.field("env.DB_PASSWORD.valueFrom.key")).isEqualTo("secretEnv");
        assertThat(FormErrors.field("secretEnv.DB_PASSWORD")).isEqualTo("secretEnv");
        assertThat(FormErrors.field(null)).isEqualTo(FormErrors.GLOBAL);
        assertThat(FormErrors.field("http.path")).isEqualTo("path");
        assertThat(FormErrors.field("limits.timeoutMs")).isEqualTo("timeoutMs");
        assertThat(FormErrors.field("env.1BAD")).isEqualTo("env");
        assertThat(FormErrors.field("nodeSelector.zone")).isEqualTo("nodeSelector");
        assertThat(FormErrors.field("spec")).isEqualTo(FormErrors.GLOBAL);
    }

    @Test
    void everyInputAnErrorCanBeMappedToShowsItsMessage() throws Exception {
        String form;
        try (var in = getClass().getResourceAsStream("/templates/deployments/new.html")) {
            form = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(FormErrors.FIELDS).allSatisfy(field -> assertThat(form).contains("fieldError('" + field + "')"));
        assertThat(form).contains("fieldError('" + FormErrors.GLOBAL + "')");
    }

    @Test
    void aProblemWithoutFieldErrorsBecomesAGlobalMessage() {
        var errors = FormErrors.from(new Problem(null, "Conflict", 409, "being deleted", null, List.of()));
        assertThat(errors.asMap(new StaticMessageSource(), Locale.ROOT)).containsEntry(FormErrors.GLOBAL, "being deleted");
    }

    @Test
    void ownMessagesComeFromTheMessageSourceAndSeveralForOneFieldAreJoined() {
        var source = new StaticMessageSource();
        source.addMessage("form.pair", Locale.ROOT, "write KEY=value ({0})");
        var errors = new FormErrors();
        errors.reject("env", "form.pair", "NOEQUALS");
        errors.add("env", "key must be a letter");
        assertThat(errors.asMap(source, Locale.ROOT)).containsExactly(Map.entry("env", "write KEY=value (NOEQUALS); key must be a letter"));
    }
}
