package dev.nanolet.agent.bindings;

import java.sql.SQLException;
import java.util.stream.Collectors;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * pgjdbc reads a statement's quotes itself before it turns each {@code ?} into {@code $n}, and not always as PostgreSQL
 * does: a dollar quote's tag is to it a Java identifier, so {@code $١$} or {@code $·$} (PostgreSQL's tags: any non-ASCII
 * character) is none, and a {@code ?} or {@code ??} in that quote would become a parameter or a {@code ?}, changing the
 * string or the parameters. A statement it would send otherwise than the text as written is refused, never sent changed.
 */
final class DriverReading {
    private DriverReading() {}

    /**
     * Refuses {@code jdbcSql} unless pgjdbc sends it as {@code expected} (the text as written, its parameters numbered
     * {@code $1}, {@code $2}… in order), but for white space and the {@code ;} where pgjdbc splits.
     */
    static void check(String jdbcSql, String expected) {
        String sent;
        try {
            sent = Parser.parseJdbcSql(jdbcSql, true, true, true, false, false).stream().map((NativeQuery q) -> q.nativeSql)
                    .collect(Collectors.joining());
        } catch (SQLException e) {
            throw new Statement.Invalid("the statement cannot be parsed: " + e.getMessage());
        }
        if (!comparable(sent).equals(comparable(expected))) {
            throw new Statement.Invalid("the driver would not send this statement as PostgreSQL reads it (a dollar quote's tag"
                    + " that is not ASCII, such as $\u0661$ or $\u00b7$, holding a '?'): use an ASCII tag such as $q$");
        }
    }

    private static String comparable(String sql) {
        return sql.replaceAll("[\\s;]", "");
    }
}
