package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.DeploymentSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.util.HtmlUtils;

/** The Edit page changes what was typed in it and nothing else, and can show and take back any value the API can hold. */
class EditDeploymentTest extends UiTest {
    private static final String PAGE = "/deployments/default/hello";
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\nbase64==\n-----END CERTIFICATE-----\n";

    @Test
    void scalingFromTheEditFormKeepsArgsAndEnvThatTextLinesCannotHold() {
        UiSession alice = signedIn();
        List<String> args = List.of("--greeting", " two  words ");
        Map<String, String> env = Map.of("CERT", "line-one\nbase64==", "CRLF", "a\r\nk=v");
        String version = stored(alice, args, env);
        assertThat(textarea(alice.page(PAGE + "/edit"), "args")).isEqualTo("--greeting\n two  words \n");

        // what a browser sends back from that form with only the replicas changed: its textareas' line breaks as CRLF
        var form = form(5, version, "--greeting\r\n two  words ");
        row(form, "CERT", "line-one\r\nbase64==");
        row(form, "CRLF", "a\r\nk=v");
        alice.post(PAGE + "/edit", "/deployments", form).redirect();

        DeploymentSpec now = API.state().deployments.get("default/hello").spec;
        assertThat(now.replicas()).isEqualTo(5);
        assertThat(now.args()).isEqualTo(args);
        assertThat(now.env()).isEqualTo(env);
    }

    @Test
    void anEnvValueWithLineBreaksIsOneRowThatIsKeptAsStoredWhileOtherVariablesChange() {
        UiSession alice = signedIn();
        String version = stored(alice, List.of(), Map.of("CERT", PEM, "OLD", "x"));
        String html = alice.page(PAGE + "/edit");
        assertThat(textarea(html, "env-value-0")).isEqualTo(PEM);
        assertThat(html).contains("id=\"env-name-0\" value=\"CERT\"").contains("id=\"env-name-2\" value=\"\"");

        var form = form(2, version, "");
        row(form, "CERT", PEM.replace("\n", "\r\n"));
        row(form, "NEW", "one\r\ntwo");
        row(form, "", "");
        alice.post(PAGE + "/edit", "/deployments", form).redirect();

        assertThat(API.state().deployments.get("default/hello").spec.env()).containsExactly(Map.entry("CERT", PEM), Map.entry("NEW", "one\ntwo"));
    }

    @Test
    void envNamesAreCheckedByTheApiAndWhatAMapCannotHoldIsRefusedOnTheForm() {
        UiSession alice = signedIn();
        String version = stored(alice, List.of(), Map.of());
        var bad = form(2, version, "");
        row(bad, "1BAD", "v");
        UiSession.Response r = alice.post(PAGE + "/edit", "/deployments", bad);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"error-env\">must be a letter or _ followed by letters, digits or _<").contains("value=\"1BAD\"");

        var twice = form(2, version, "");
        row(twice, "A", "1");
        row(twice, "A", "2");
        row(twice, " ", "orphan");
        assertThat(alice.post(PAGE + "/edit", "/deployments", twice).body()).contains("A is set twice").contains("a value needs its variable&#39;s name")
                .contains(">\norphan</textarea>");
        assertThat(API.state().deployments.get("default/hello").spec.env()).isEmpty();

        var padded = form(2, version, "");
        row(padded, " PADDED ", "v"); // spaces pasted around a name are not part of it, as KEY=value lines had them
        alice.post(PAGE + "/edit", "/deployments", padded).redirect();
        assertThat(API.state().deployments.get("default/hello").spec.env()).isEqualTo(Map.of("PADDED", "v"));
    }

    /** The rows are read from envName/envValue alone: env fields of a stale page or a forged post are no server error. */
    @Test
    void envFieldsOfAnotherShapeAreNoServerError() {
        UiSession alice = signedIn();
        String version = stored(alice, List.of(), Map.of("KEPT", "x"));
        for (Map<String, String> extra : List.of(Map.of("env", "GREETING=hello"), Map.of("env[0].name", "A", "env[0].value", "1"),
                Map.of("env[100000000].name", "A"))) {
            var form = form(2, version, "");
            row(form, "KEPT", "x");
            extra.forEach(form::add);
            UiSession.Response r = alice.post(PAGE + "/edit", "/deployments", form);
            assertThat(r.status()).as(extra.toString()).isLessThan(500);
        }
        assertThat(API.state().deployments.get("default/hello").spec.env()).isEqualTo(Map.of("KEPT", "x"));
    }

    @Test
    void emptyArgsFirstLastAndInARowComeBackAsTheyWere() {
        UiSession alice = signedIn();
        List<String> args = List.of("", "a", "", "", "b", "");
        String version = stored(alice, args, Map.of());
        String shown = textarea(alice.page(PAGE + "/edit"), "args");
        assertThat(shown).as("each arg ends with a line break").isEqualTo("\na\n\n\nb\n\n");

        alice.post(PAGE + "/edit", "/deployments", form(2, version, shown.replace("\n", "\r\n") + "c")).redirect();

        assertThat(API.state().deployments.get("default/hello").spec.args()).containsExactly("", "a", "", "", "b", "", "c");
    }

    @Test
    void argsWithALineBreakInOneAreKeptOrRefusedNeverSplit() {
        UiSession alice = signedIn();
        String version = stored(alice, List.of("two\nlines"), Map.of());
        UiSession.Response r = alice.post(PAGE + "/edit", "/deployments", form(2, version, "two\r\nlines\r\nmore"));
        assertThat(r.body()).contains("id=\"error-args\">an arg holds a line break");
        assertThat(API.state().deployments.get("default/hello").spec.args()).containsExactly("two\nlines");
    }

    /** Deploys hello, then sets its args and env as the API can; answers its version. */
    private String stored(UiSession session, List<String> args, Map<String, String> env) {
        Fixtures.deploy(session, "hello", 2);
        var spec = API.state().deployments.get("default/hello").spec;
        API.state().apply("default", "hello", new DeploymentSpec(spec.module(), spec.http(), null, 2, args, new LinkedHashMap<>(env),
                spec.limits(), spec.nodeSelector()));
        return API.state().deployments.get("default/hello").resourceVersion;
    }

    /** The edit form of hello as posted, without env rows. */
    private static LinkedMultiValueMap<String, String> form(int replicas, String version, String args) {
        var spec = API.state().deployments.get("default/hello").spec;
        var form = new LinkedMultiValueMap<String, String>();
        Fixtures.httpForm("hello", spec.module(), replicas, Map.of("path", spec.http().path(), "args", args, "resourceVersion", version))
                .forEach(form::add);
        form.remove("envName");
        form.remove("envValue");
        return form;
    }

    private static void row(LinkedMultiValueMap<String, String> form, String name, String value) {
        form.add("envName", name);
        form.add("envValue", value);
    }

    /** What a browser reads as the value of textarea {@code id}: its text, without the one line break right after the tag. */
    static String textarea(String html, String id) {
        Matcher m = Pattern.compile("<textarea[^>]* id=\"" + id + "\"[^>]*>(.*?)</textarea>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("textarea " + id).isTrue();
        String text = HtmlUtils.htmlUnescape(m.group(1));
        return text.startsWith("\n") ? text.substring(1) : text;
    }
}
