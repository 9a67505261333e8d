package dev.nanolet.platform.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.platform.PlatformApiTest;
import dev.nanolet.testsupport.fuzz.FuzzCorpus;
import dev.nanolet.testsupport.fuzz.FuzzSettings;
import dev.nanolet.testsupport.fuzz.Leaks;
import dev.nanolet.testsupport.fuzz.WasmMutator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Mutated and generated modules uploaded over real HTTP to platform-api on real PostgreSQL:
 * never a 5xx; every refusal is RFC 9457 problem+json without a Java exception's text; exactly
 * the accepted modules are stored; no thread left behind and the heap back near its baseline.
 * Seeded ({@link FuzzSettings}): a failure names the seed, the case and the module's bytes.
 */
@PlatformApiTest
class ModuleUploadFuzzTest {
    static final int BASE_CASES = 1_500;
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;

    @Test
    void mutatedAndGeneratedModulesAreStoredOrRefusedWithAProblemNeverA5xx() {
        FuzzSettings fuzz = FuzzSettings.fromSystemProperties();
        System.out.println("ModuleUploadFuzzTest: " + fuzz.replay());
        List<byte[]> corpus = FuzzCorpus.examples(EXAMPLES);
        corpus.forEach(this::upload);
        int modulesBefore = modules();
        int threads = Leaks.threads();
        long heap = Leaks.usedHeapAfterGc();

        WasmMutator mutator = new WasmMutator(corpus, fuzz.seed());
        Set<String> accepted = new HashSet<>();
        corpus.forEach(m -> accepted.add(digest(m)));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < fuzz.cases(BASE_CASES) && failures.size() < 5; i++) {
            byte[] module = mutator.next();
            HttpResponse<String> r = upload(module);
            String problem = Problems.check(r);
            if (problem != null) {
                failures.add("case " + i + ": " + problem + "\n  module: " + HexFormat.of().formatHex(module));
            } else if (r.statusCode() < 300) {
                accepted.add(digest(module));
            }
        }

        assertThat(failures).as("uploads answered badly (replay with %s)", fuzz.replay()).isEmpty();
        System.out.printf("ModuleUploadFuzzTest: %d distinct modules accepted of %d%n", accepted.size(), fuzz.cases(BASE_CASES));
        assertThat(modules()).as("stored modules: the corpus and the accepted ones, nothing else")
                .isEqualTo(modulesBefore - corpus.size() + accepted.size());
        await("request threads back to the baseline of " + threads).atMost(Duration.ofSeconds(30))
                .until(() -> Leaks.threads() <= threads + 4);
        assertThat(Leaks.usedHeapAfterGc()).as("heap vs a baseline of %d MiB (replay with %s)", heap >> 20, fuzz.replay())
                .isLessThan(heap + (96L << 20));
    }

    /**
     * Found by this test (seed 2454301721099, case 102: examples/ticker.wasm mutated): Chicory's
     * parser checks "else without if" with {@code assert}, so a JVM with {@code -ea} threw an
     * AssertionError that became a 500.
     */
    @Test
    void aModuleThatTripsAnAssertionInTheParserIsRefusedWith400() throws IOException {
        byte[] module = Files.readAllBytes(Path.of("src/test/resources/fuzz/parser-assertion.wasm"));
        HttpResponse<String> r = upload(module);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Problems.check(r)).isNull();
    }

    /**
     * Found by this test (seed 5257488520168, cases 271 and 1336): an export name with a NUL
     * character is valid Wasm, but PostgreSQL cannot store it in the module's JSON: it was a 500.
     */
    @Test
    void aModuleWithANulCharacterInAnExportNameIsRefusedWith400() {
        byte[] module = HexFormat.of().parseHex(
                "0061736d0100000001040160000003020100050401008010071302066d656d6f72790200065f737400727400000a040102000b");
        HttpResponse<String> r = upload(module);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("NUL");
        assertThat(Problems.check(r)).isNull();
    }

    /** The same for an import's name ({@code (import "e" "a\00b" (func))}, built byte by byte: wat2wasm writes no NUL names). */
    @Test
    void aModuleWithANulCharacterInAnImportNameIsRefusedWith400() {
        byte[] module = HexFormat.of().parseHex("0061736d01000000" + "010401600000" + "0209010165036100620000");
        HttpResponse<String> r = upload(module);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("an import or export name contains a NUL character");
        assertThat(Problems.check(r)).isNull();
    }

    private HttpResponse<String> upload(byte[] module) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/modules?name=fuzz"))
                .header("Authorization", "Bearer " + PlatformApiTest.ADMIN_TOKEN).header("Content-Type", "application/wasm")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(module)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int modules() {
        return jdbc.sql("SELECT count(*) FROM modules").query(Integer.class).single();
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
