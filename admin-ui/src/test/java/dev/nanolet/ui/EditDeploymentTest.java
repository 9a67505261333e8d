package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Edit page changes what was typed in it and nothing else, even values one line of text cannot carry back as they are. */
class EditDeploymentTest extends UiTest {
    private static final String PAGE = "/deployments/default/hello";

    @Test
    void scalingFromTheEditFormKeepsArgsAndEnvThatTextLinesCannotHold() {
        UiSession alice = signedIn();
        Fixtures.deploy(alice, "hello", 2);
        var stored = API.state().deployments.get("default/hello").spec;
        List<String> args = List.of("--greeting", " two  words ");
        Map<String, String> env = Map.of("CERT", "line-one\nbase64==", "CRLF", "a\r\nk=v");
        API.state().apply("default", "hello", new DeploymentSpec(stored.module(), stored.http(), null, 2, args, env, stored.limits(),
                stored.nodeSelector()));
        String version = API.state().deployments.get("default/hello").resourceVersion;
        assertThat(alice.page(PAGE + "/edit")).contains("CERT=line-one\nbase64==").contains("--greeting\n two  words ");

        // what a browser sends back from that form with only the replicas changed: its textareas' line breaks as CRLF
        alice.post(PAGE + "/edit", "/deployments", Fixtures.httpForm("hello", stored.module(), 5, Map.of("path", stored.http().path(),
                "args", "--greeting\r\n two  words ", "env", String.join("\r\n", "CERT=line-one", "base64==", "CRLF=a", "k=v"),
                "nodeSelector", "zone=a", "resourceVersion", version))).redirect();

        DeploymentSpec now = API.state().deployments.get("default/hello").spec;
        assertThat(now.replicas()).isEqualTo(5);
        assertThat(now.args()).isEqualTo(args);
        assertThat(now.env()).isEqualTo(env);
    }
}
