package dev.nanolet.agent.bindings;

import java.sql.SQLException;
import java.util.stream.Collectors;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * pgjdbc reads a statement's quotes itself before it turns each {@code ?} into {@code $n}, and not always as PostgreSQL
 * does: a dollar quote's tag is to it a Java identifier, so {@code $١$} or {@code $·$} (PostgreSQL's tags: any non-ASCII
 * character) is none, and a {@code ?}, {@code ??} or {@code ;} in that quote would become a parameter, a {@code ?} or a
 * split, changing the string or the parameters. Nor does it join a string continued on another line ({@code E'a'} newline
 * {@code '\' $1 '}: to PostgreSQL one escape string, {@code \'} a quote in it). A statement it would send otherwise than
 * the text as written is refused, never sent changed. Before any of that it rewrites JDBC escapes ({@code {fn ucase('a')}},
 * {@code {d '2020-01-01'}}), which PostgreSQL refuses as syntax errors, in such a dollar quote too ({@code $·$ {d '…'} $·$}
 * became {@code  DATE '…' } in the string): a text it would rewrite so is refused as well.
 */
final class DriverReading {
    private DriverReading() {}

    /** Refuses {@code jdbcSql} unless pgjdbc sends exactly {@code expected}, the statement as PostgreSQL reads it ({@link Parts.Part#sent}). */
    static void check(String jdbcSql, String expected) {
        String sent;
        try {
            if (rewritesEscapes(jdbcSql)) {
                throw new Statement.Invalid("the driver would rewrite a JDBC escape such as {fn …} or {d '…'} in this statement"
                        + " (PostgreSQL reads neither; in a dollar quote whose tag is not ASCII, use an ASCII tag such as $q$)");
            }
            sent = Parser.parseJdbcSql(jdbcSql, true, true, true, false, false).stream().map((NativeQuery q) -> q.nativeSql)
                    .collect(Collectors.joining());
        } catch (SQLException e) {
            throw new Statement.Invalid("the statement cannot be parsed: " + e.getMessage());
        }
        if (!sent.equals(expected)) {
            throw new Statement.Invalid("the driver would not send this statement as PostgreSQL reads it (a '?', ';' or $n in"
                    + " a dollar quote whose tag is not ASCII, such as $\u0661$ or $\u00b7$: use an ASCII tag such as $q$; or in an"
                    + " escape string continued on another line after a \\': write it as one E'…')");
        }
    }

    /** Whether pgjdbc would rewrite a JDBC escape in {@code jdbcSql}; false if it refuses the text, as it then does when preparing it. */
    private static boolean rewritesEscapes(String jdbcSql) {
        try {
            return !Parser.replaceProcessing(jdbcSql, true, true).equals(jdbcSql);
        } catch (SQLException e) {
            return false;
        }
    }
}
