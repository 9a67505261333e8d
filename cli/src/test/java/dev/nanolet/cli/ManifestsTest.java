package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {
    @TempDir
    Path dir;

    Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("app.yaml"), yaml);
    }

    /** README's "nanolet diff -f app.yaml" run where there is no app.yaml said "cannot read app.yaml: app.yaml". */
    @Test
    void aMissingFileOrADirectoryIsSaidInWords() {
        assertThatThrownBy(() -> Manifests.read(dir.resolve("app.yaml"), "default"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
                .hasMessageContaining("app.yaml: no such file").hasMessageNotContaining("Exception");
        assertThatThrownBy(() -> Manifests.read(dir, "default")).hasMessageEndingWith(": it is a directory")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void readsSeveralDocumentsWithDefaultsAndModuleFiles() throws Exception {
        Files.write(dir.resolve("app.wasm"), new byte[] {0, 'a', 's', 'm'});
        Path file = write("""
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web}
                spec: {module: "file:app.wasm", http: {path: /web}, replicas: 2}
                ---
                {"apiVersion": "nanolet.dev/v1", "kind": "Deployment", "metadata": {"name": "job", "namespace": "ci"},
                 "spec": {"module": "sha256:00", "job": {}}}
                """);

        List<Manifests.Document> docs = Manifests.read(file, "team");

        assertThat(docs).extracting(Manifests.Document::namespace, Manifests.Document::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("team", "web"), org.assertj.core.groups.Tuple.tuple("ci", "job"));
        assertThat(docs.get(0).moduleFile()).isEqualTo(dir.resolve("app.wasm"));
        assertThat(docs.get(0).spec().path("replicas").asInt()).isEqualTo(2);
        assertThat(docs.get(1).moduleFile()).isNull();
    }

    /** The server applies a document only if its object is still at that version (docs/api.md, "Apply a manifest"). */
    @Test
    void aResourceVersionIsSentAsWrittenAndOnlyWhenWritten() throws Exception {
        Path file = write("""
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: web, resourceVersion: "57"}
                spec: {module: "sha256:00", job: {}}
                ---
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db, resourceVersion: "12"}
                stringData: {password: x}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: api}
                spec: {module: "sha256:00", job: {}}
                """);

        var body = ApplyCommand.body(null, Manifests.read(file, "team"));

        assertThat(body.get(0).path("metadata").path("resourceVersion").asString()).isEqualTo("57");
        assertThat(body.get(1).path("metadata").path("resourceVersion").asString()).isEqualTo("12");
        assertThat(body.get(2).path("metadata").has("resourceVersion")).isFalse();
    }

    @Test
    void aSecretDocumentKeepsItsDataAndNeedsSome() throws Exception {
        Path file = write("""
                apiVersion: nanolet.dev/v1
                kind: Secret
                metadata: {name: db}
                stringData: {url: "jdbc:postgresql://db/app"}
                data: {password: aHVudGVyMg==}
                """);
        Manifests.Document secret = Manifests.read(file, "team").getFirst();
        assertThat(secret.isSecret()).isTrue();
        assertThat(secret.namespace()).isEqualTo("team");
        assertThat(secret.spec().path("stringData").path("url").asString()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(secret.spec().path("data").path("password").asString()).isEqualTo("aHVudGVyMg==");

        Path empty = write("apiVersion: nanolet.dev/v1\nkind: Secret\nmetadata: {name: db}\n");
        assertThatThrownBy(() -> Manifests.read(empty, "team")).hasMessageContaining("document 0: stringData: a Secret needs");
    }

    @Test
    void everyProblemNamesItsDocumentAndField() throws Exception {
        Path file = write("""
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: ok}
                spec: {module: "sha256:00"}
                ---
                apiVersion: v2
                kind: ConfigMap
                metadata: {name: Bad_Name}
                spec: {module: "file:missing.wasm"}
                ---
                apiVersion: nanolet.dev/v1
                kind: Deployment
                metadata: {name: nospec}
                """);

        assertThatThrownBy(() -> Manifests.read(file, "default"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
                .hasMessageContaining("document 1: apiVersion: must be nanolet.dev/v1")
                .hasMessageContaining("document 1: kind: must be Deployment or Secret")
                .hasMessageContaining("document 1: metadata.name: must be a DNS-1123 label")
                .hasMessageContaining("document 1: spec.module: no file")
                .hasMessageContaining("document 2: spec: is required")
                .hasMessageNotContaining("document 0");
    }

    @Test
    void brokenYamlIsABadManifest() throws Exception {
        Path file = write("apiVersion: [unclosed\n");
        assertThatThrownBy(() -> Manifests.read(file, "default"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("is not valid YAML");
    }

    @Test
    void usageErrorsExit2AndAnUnreachableServerExit4() {
        assertThat(Main.run("apply")).isEqualTo(2);
        assertThat(Main.run("get", "bogus")).isEqualTo(2);
        assertThat(Main.run("apply", "-f", dir.resolve("none.yaml").toString(), "--server", "http://127.0.0.1:9", "--token", "t"))
                .isEqualTo(2);
        assertThat(Main.run("get", "nodes", "--server", "http://127.0.0.1:9", "--token", "t")).isEqualTo(4);
    }
}
