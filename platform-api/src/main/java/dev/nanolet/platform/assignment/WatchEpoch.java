package dev.nanolet.platform.assignment;

import dev.nanolet.wire.Digits;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The epoch in every watch resource version ({@code <epoch>.<version>}): the random id made once
 * per database ({@code watch_epoch}) joined with the database's own oid, so a version handed out by
 * another database — a restore into a new database, a new database — is unknown here. Versions of
 * another epoch get 410 Gone and the node lists again.
 */
@Component
class WatchEpoch {
    private final JdbcClient jdbc;

    WatchEpoch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String current() {
        return jdbc.sql("""
                        SELECT substr(md5(e.epoch || '/' || d.oid), 1, 16) FROM watch_epoch e, pg_database d
                        WHERE d.datname = current_database()""")
                .query(String.class).single();
    }

    /** The resource version {@code version} of this epoch, as an event id. */
    static String id(String epoch, long version) {
        return epoch + "." + version;
    }

    /** The version in {@code id} if it belongs to {@code epoch}; empty for another epoch or garbage (a version is ASCII digits: no sign). */
    static OptionalLong versionOf(String id, String epoch) {
        int dot = id.lastIndexOf('.');
        if (dot < 0 || !id.substring(0, dot).equals(epoch)) {
            return OptionalLong.empty();
        }
        return Digits.parse(id.substring(dot + 1), Digits.MAX_DIGITS);
    }
}
