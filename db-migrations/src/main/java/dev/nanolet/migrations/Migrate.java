package dev.nanolet.migrations;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs Nanolet's migrations against one database and exits: {@code java -jar db-migrations.jar
 * --url jdbc:postgresql://host/db --user u --password p}. Each option may also come from the
 * environment ({@code NANOLET_DB_URL}, {@code NANOLET_DB_USER}, {@code NANOLET_DB_PASSWORD}),
 * which is how a Helm pre-upgrade job passes a secret. A failure (the database unreachable, a migration
 * refused) is said on stderr as Flyway's message, without a stack trace, and exits 1.
 */
public final class Migrate {
    /** Where the SQL lives on the class path; platform-api points Flyway here too. */
    public static final String LOCATION = "classpath:db/migration";

    private Migrate() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        options.put("url", env.get("NANOLET_DB_URL"));
        options.put("user", env.get("NANOLET_DB_USER"));
        options.put("password", env.getOrDefault("NANOLET_DB_PASSWORD", ""));
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!options.containsKey(key) || i + 1 >= args.length) {
                err.println("usage: java -jar db-migrations.jar --url JDBC_URL --user USER --password PASSWORD");
                return 2;
            }
            options.put(key, args[++i]);
        }
        if (options.get("url") == null) {
            err.println("--url (or NANOLET_DB_URL) is required");
            return 2;
        }
        try {
            MigrateResult result = flyway(options.get("url"), options.get("user"), options.get("password")).migrate();
            out.printf("migrated %s to version %s (%d migration(s) applied)%n",
                    result.database, result.targetSchemaVersion, result.migrationsExecuted);
            return 0;
        } catch (FlywayException e) {
            err.println("db-migrations: could not migrate: " + String.valueOf(e.getMessage()).strip());
            return 1;
        }
    }

    /** A Flyway configured for Nanolet's migrations on the given database. */
    public static Flyway flyway(String url, String user, String password) {
        return Flyway.configure().dataSource(url, user, password).locations(LOCATION).load();
    }
}
