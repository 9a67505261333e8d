package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgiResponseTest {

    static CgiResponse parse(String out) {
        byte[] b = out.getBytes(StandardCharsets.ISO_8859_1);
        return CgiResponse.parse(b, b.length);
    }

    @Test
    void documentResponseDefaultsTo200() {
        var r = parse("Content-Type: text/plain\n\nhello\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
        assertThat(r.bodyOffset()).isEqualTo("Content-Type: text/plain\n\n".length());
    }

    @Test
    void statusFieldWinsAndCrLfIsAccepted() {
        var r = parse("Status: 418 I'm a teapot\r\nContent-Type: text/plain\r\nX-A: 1\r\n\r\nbody");
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("X-A", "1"));
    }

    @Test
    void locationWithoutStatusIsARedirect() {
        assertThat(parse("Location: /elsewhere\n\n").status()).isEqualTo(302);
        assertThat(parse("Status: 301\nLocation: /elsewhere\n\n").status()).isEqualTo(301);
    }

    @Test
    void onlyALoneAbsolutePathLocationIsALocalRedirect() {
        assertThat(parse("Location: /elsewhere?a=1\n\n").localRedirect()).isEqualTo(URI.create("/elsewhere?a=1"));
        assertThat(parse("location: /x\r\n\r\n").localRedirect()).isEqualTo(URI.create("/x"));
        assertThat(parse("Location: http://h/x\n\n").localRedirect()).isNull();
        assertThat(parse("Location: //h/x\n\n").localRedirect()).isNull();
        assertThat(parse("Status: 302\nLocation: /x\n\n").localRedirect()).isNull();
        assertThat(parse("Location: /x\nContent-Type: text/plain\n\n").localRedirect()).isNull();
        assertThat(parse("Location: /x\n\nbody").localRedirect()).isNull();
    }

    @Test
    void aLocalRedirectToSomethingThatIsNoUriIsMalformed() {
        for (String target : new String[] {"/a b", "/%zz", "/a\\b", "/x?a b", "/x?%", "/\u00e9"}) {
            assertThatThrownBy(() -> parse("Location: " + target + "\n\n")).as(target)
                    .isInstanceOf(CgiResponse.MalformedException.class).hasMessageContaining("is not a URI path");
        }
        assertThat(parse("Status: 302\nLocation: /a b\n\n").headers()).containsExactly(Map.entry("Location", "/a b"));
    }

    @Test
    void malformedOutputsAreRefused() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(CgiResponse.MalformedException.class);
        assertThatThrownBy(() -> parse("hello world\n\n")).isInstanceOf(CgiResponse.MalformedException.class);
        assertThatThrownBy(() -> parse("Content-Type: text/plain\nno blank line")).isInstanceOf(CgiResponse.MalformedException.class);
        assertThatThrownBy(() -> parse("Status: abc\n\n")).isInstanceOf(CgiResponse.MalformedException.class);
        assertThatThrownBy(() -> parse("Status: 999\n\n")).isInstanceOf(CgiResponse.MalformedException.class);
        assertThatThrownBy(() -> parse("Status: 199\n\n")).isInstanceOf(CgiResponse.MalformedException.class);
        for (String notThreeDigits : new String[] {"+200", "+20", "0200", "-200", "20"}) {
            assertThatThrownBy(() -> parse("Status: " + notThreeDigits + " OK\n\n")).as(notThreeDigits)
                    .isInstanceOf(CgiResponse.MalformedException.class).hasMessage("bad Status: " + notThreeDigits + " OK");
        }
        assertThatThrownBy(() -> parse("\nbody")).isInstanceOf(CgiResponse.MalformedException.class);
    }

    @Test
    void aFieldTheServerCouldNotWriteIsMalformed() {
        for (String field : new String[] {"X-B: a\u000bb", "X-B: a\rb", "X-B: a\u0000b", "X-B: a\u007fb", "X B: 1", "X\u00ffB: 1", "X(B): 1",
                ": 1", " \t: 1", "Status: 200\u0000"}) {
            assertThatThrownBy(() -> parse("Content-Type: text/plain\n" + field + "\n\nbody"))
                    .as(HttpField.printable(field)).isInstanceOf(CgiResponse.MalformedException.class);
        }
    }

    @Test
    void fieldValuesMayHoldSpacesTabsAndObsTextAndNamesAnyTokenCharacter() {
        var r = parse("Content-Type: text/plain\nX-A!#$%&'*+.^_`|~9:  a\tb \u00e9\u00ff \t\nX-Empty:\n\nbody");
        assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("X-A!#$%&'*+.^_`|~9", "a\tb \u00e9\u00ff"),
                Map.entry("X-Empty", ""));
    }

    @Test
    void onlyFinalStatusesAreAModulesToGive() {
        for (String informational : new String[] {"100 Continue", "101 Switching Protocols", "103"}) {
            assertThatThrownBy(() -> parse("Status: " + informational + "\nUpgrade: websocket\nConnection: Upgrade\n\n"))
                    .as(informational).isInstanceOf(CgiResponse.MalformedException.class).hasMessageContaining("not a final status");
        }
        assertThat(parse("Status: 200\n\n").status()).isEqualTo(200);
        assertThat(parse("Status: 599\n\n").status()).isEqualTo(599);
    }
}
