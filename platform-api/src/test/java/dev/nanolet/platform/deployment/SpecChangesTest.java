package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpecChangesTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode tree(String json) {
        return JSON.readTree(json);
    }

    @Test
    void objectsAreComparedMemberByMemberAndArraysAsAWhole() {
        var changes = SpecChanges.between(tree("{\"env\":{\"A\":\"1\",\"B\":\"2\"},\"args\":[\"x\"],\"replicas\":1}"),
                tree("{\"env\":{\"A\":\"1\",\"C\":\"3\"},\"args\":[\"x\",\"y\"],\"replicas\":1}"), "spec");

        assertThat(changes).extracting(SpecChanges.Change::field).containsExactly("spec.args", "spec.env.B", "spec.env.C");
        assertThat(changes.get(1).to()).isNull();
        assertThat(changes.get(2).from()).isNull();
    }

    @Test
    void nullMissingAndEmptyAllMeanNotSet() {
        assertThat(SpecChanges.between(tree("{\"env\":{},\"http\":null}"), tree("{\"args\":[]}"), "spec")).isEmpty();
    }

    @Test
    void nothingBeforeMakesEveryFieldNew() {
        assertThat(SpecChanges.between(null, tree("{\"module\":\"m\",\"http\":{\"path\":\"/a\"}}"), "spec"))
                .extracting(SpecChanges.Change::field).containsExactly("spec.http.path", "spec.module");
    }
}
