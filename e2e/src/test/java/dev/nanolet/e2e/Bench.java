package dev.nanolet.e2e;

import dev.nanolet.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/** What the benchmarks share: platform-api's environment, and where their figures go. */
final class Bench {
    private Bench() {}

    /** platform-api on {@code port} and {@code db} with these tokens. */
    static Map<String, String> apiEnvironment(int port, TestPostgres.Database db, String adminToken, String nodeToken) {
        Map<String, String> env = new HashMap<>();
        env.put("NANOLET_API_PORT", String.valueOf(port));
        env.put("NANOLET_DB_URL", db.url());
        env.put("NANOLET_DB_USER", db.user());
        env.put("NANOLET_DB_PASSWORD", db.password());
        env.put("NANOLET_ADMIN_TOKEN", adminToken);
        env.put("NANOLET_NODE_TOKEN", nodeToken);
        return env;
    }

    /** Prints a run's figures and appends them to {@code e2e/target/bench/<file>}. */
    static void record(String text, String file) throws IOException {
        System.out.println(text);
        Path out = Paths.root().resolve("e2e/target/bench/" + file);
        Files.createDirectories(out.getParent());
        Files.writeString(out, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
