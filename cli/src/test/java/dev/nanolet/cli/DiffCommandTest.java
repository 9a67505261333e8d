package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DiffCommandTest {
    @Test
    void printsEachDocumentAndItsChangedFields() {
        var diff = Api.JSON.readTree("""
                {"changed": true, "documents": [
                  {"action": "changed", "kind": "Deployment", "namespace": "ci", "name": "web", "newRevision": true,
                   "changes": [{"field": "spec.env.MODE", "from": "a", "to": "b"}, {"field": "spec.env.NEW", "from": null, "to": "x"}]},
                  {"action": "unchanged", "kind": "Deployment", "namespace": "ci", "name": "job", "newRevision": false, "changes": []}]}
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        DiffCommand.print(diff, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                changed Deployment ci/web (new revision)
                  spec.env.MODE: "a" -> "b"
                  spec.env.NEW: (unset) -> "x"
                unchanged Deployment ci/job
                """);
    }

    @Test
    void printsASecretsKeysByNameAndHowEachWouldChange() {
        var diff = Api.JSON.readTree("""
                {"changed": true, "documents": [
                  {"action": "changed", "kind": "Secret", "namespace": "ci", "name": "db", "newRevision": false,
                   "changes": [{"field": "data.password", "change": "changed"}, {"field": "data.url", "change": "added"}]}]}
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        DiffCommand.print(diff, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                changed Secret ci/db
                  data.password: changed
                  data.url: added
                """);
    }
}
