package dev.nanolet.platform.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.platform.ApiClient;
import dev.nanolet.platform.ApiClient.Response;
import dev.nanolet.platform.PlatformApiTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Text in a module upload's multipart parts that is not UTF-8 is 400 naming the part: the {@code name} part or the file
 * name with {@code 0xFF}, an overlong {@code 0xC0 0xAF} or a lone surrogate's encoding was stored under a name with
 * U+FFFD in its place, and a file name with a NUL was a 500. A U+FFFD sent as such is refused alike, in a module name
 * sent any way (a JSON import's, a raw upload's {@code ?name=}), which took it before.
 */
@PlatformApiTest
class MultipartTextTest {
    private static final List<String> NOT_UTF8 = List.of("ff", "c0af", "eda080", "61ff62");

    @LocalServerPort
    int port;

    ApiClient admin;

    @BeforeEach
    void setUp() {
        admin = new ApiClient(port, PlatformApiTest.ADMIN_TOKEN);
    }

    @Test
    void aNamePartOrFileNameThatIsNotUtf8Is400NamingThePart() {
        for (String hex : NOT_UTF8) {
            byte[] bad = HexFormat.of().parseHex(hex);
            assertRefused(upload(bad, bytes("m.wasm\"")), "name", "name: " + ModuleApi.NOT_UTF8);
            assertRefused(upload(null, concat(bytes("m"), bad, bytes(".wasm\""))), "file", "file: its file name " + ModuleApi.NOT_UTF8);
            assertRefused(upload(null, percentEncoded(hex)), "file", "file: its file name " + ModuleApi.NOT_UTF8);
        }
    }

    @Test
    void uPlusFffdInAModuleNameIsRefusedAlikeHoweverTheNameIsSent() {
        String detail = "name: " + ModuleApi.NOT_UTF8;
        assertRefused(upload(bytes("a\uFFFDb"), bytes("m.wasm\"")), "name", detail);
        assertRefused(admin.json(HttpMethod.POST, "/api/v1/modules", "{\"image\": \"registry.invalid/m:1\", \"name\": \"a\uFFFDb\"}"),
                "name", detail);
        assertRefused(admin.json(HttpMethod.POST, "/api/v1/modules", "{\"image\": \"registry.invalid/m:1\", \"name\": \"a\\uFFFDb\"}"),
                "name", detail);
        assertRefused(admin.send(HttpMethod.POST, "/api/v1/modules?name=a%EF%BF%BDb", MediaType.parseMediaType("application/wasm"),
                ApiClient.unique(ApiClient.wasm("hello.wasm")), Map.of()), "name", detail);
    }

    @Test
    void aFileNameWithANulIs400NamingTheFile() {
        String message = "its file name must not contain the NUL character (\\u0000)";
        assertRefused(upload(null, bytes("m\0.wasm\"")), "file", "file: " + message);
        assertRefused(upload(null, percentEncoded("00")), "file", "file: " + message);
    }

    @Test
    void utf8TextIsReadAsBeforeAndANulInTheNamePartIsTheNameRules422() {
        Response named = upload(bytes("Zoë 😀"), bytes("m.wasm\""));
        assertThat(named.status()).as(named.body()).isEqualTo(201);
        assertThat(named.json().path("name").asString()).isEqualTo("Zoë 😀");
        Response fromFile = upload(null, percentEncoded("c3a9"));
        assertThat(fromFile.status()).as(fromFile.body()).isEqualTo(201);
        assertThat(fromFile.json().path("name").asString()).isEqualTo("mé");
        Response rawUtf8 = upload(null, bytes("日本é.wasm\""));
        assertThat(rawUtf8.status()).as(rawUtf8.body()).isEqualTo(201);
        assertThat(rawUtf8.json().path("name").asString()).isEqualTo("日本é");
        Response nul = upload(bytes("a\0b"), bytes("m.wasm\""));
        assertThat(nul.status()).as(nul.body()).isEqualTo(422);
        assertThat(nul.errorFields()).containsExactly("name");
    }

    @Test
    void aBodyThatEndsInsideAPartIs400() {
        Response r = admin.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("multipart/form-data; boundary=xyz"),
                bytes("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.wasm\"\r\n\r\nabc"), Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("detail").asString()).isEqualTo("the multipart body cannot be read: it is not multipart/form-data"
                + " with the boundary its Content-Type names, each part with its headers");
    }

    private void assertRefused(Response r, String part, String detail) {
        assertThat(r.status()).as(detail + ": " + r.body()).isEqualTo(400);
        assertThat(r.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(r.errorFields()).containsExactly(part);
        assertThat(r.json().path("detail").asString()).isEqualTo(detail);
    }

    /** {@code filename*=UTF-8''m%XX….wasm}, the bytes of {@code hex} percent-encoded. */
    private static byte[] percentEncoded(String hex) {
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            encoded.append('%').append(hex, i, i + 2);
        }
        return bytes("x\"; filename*=UTF-8''m" + encoded + ".wasm");
    }

    /**
     * An upload of hello.wasm (made unique) as part {@code file} with {@code fileName} after {@code filename="}
     * (ending the header's value itself), and a {@code name} part holding {@code name} unless null.
     */
    private Response upload(byte[] name, byte[] fileName) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (name != null) {
            body.writeBytes(bytes("--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"));
            body.writeBytes(name);
            body.writeBytes(bytes("\r\n"));
        }
        body.writeBytes(bytes("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\""));
        body.writeBytes(fileName);
        body.writeBytes(bytes("\r\nContent-Type: application/wasm\r\n\r\n"));
        body.writeBytes(ApiClient.unique(ApiClient.wasm("hello.wasm")));
        body.writeBytes(bytes("\r\n--xyz--\r\n"));
        return admin.send(HttpMethod.POST, "/api/v1/modules", MediaType.parseMediaType("multipart/form-data; boundary=xyz"),
                body.toByteArray(), Map.of());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
