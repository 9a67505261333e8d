package dev.nanolet.agent.bindings;

import java.sql.SQLException;
import java.util.stream.Collectors;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * pgjdbc reads a statement's quotes itself before it turns each {@code ?} into {@code $n}, and not always as PostgreSQL
 * does: a dollar quote's tag is to it a Java identifier, so {@code $١$} or {@code $·$} (PostgreSQL's tags: any non-ASCII
 * character) is none, and a {@code ?}, {@code ??} or {@code ;} in that quote would become a parameter, a {@code ?} or a
 * split, changing the string or the parameters. A statement it would send otherwise than the text as written is refused,
 * never sent changed.
 */
final class DriverReading {
    private DriverReading() {}

    /** Refuses {@code jdbcSql} unless pgjdbc sends exactly {@code expected} ({@link Expected#text}). */
    static void check(String jdbcSql, Expected expected) {
        String sent;
        try {
            sent = Parser.parseJdbcSql(jdbcSql, true, true, true, false, false).stream().map((NativeQuery q) -> q.nativeSql)
                    .collect(Collectors.joining());
        } catch (SQLException e) {
            throw new Statement.Invalid("the statement cannot be parsed: " + e.getMessage());
        }
        if (!sent.equals(expected.text())) {
            throw new Statement.Invalid("the driver would not send this statement as PostgreSQL reads it (a dollar quote's tag"
                    + " that is not ASCII, such as $\u0661$ or $\u00b7$, holding a '?' or ';'): use an ASCII tag such as $q$");
        }
    }

    /**
     * What pgjdbc should send for a text, built from PostgreSQL's reading of it token by token ({@link Placeholders}): the
     * text as written, its parameters numbered {@code $1}, {@code $2}… in order, less what pgjdbc always takes out of any
     * text, and only that: each {@code ;} where it splits statements (outside parentheses, and outside the body of a
     * {@code CREATE … BEGIN ATOMIC}), and a part between splits that is only white space.
     */
    static final class Expected {
        private final StringBuilder sent = new StringBuilder();
        private final StringBuilder part = new StringBuilder();
        private int depth;
        private boolean firstWord = true;
        private boolean create;
        private boolean begin;
        private boolean atomic;

        /** A literal, quoted identifier, dollar quote or comment, as written. */
        void quoted(CharSequence text) {
            part.append(text);
        }

        /** A keyword or identifier: a {@code CREATE} statement's {@code BEGIN ATOMIC} keeps its {@code ;}s. */
        void word(String word) {
            if (firstWord) {
                create = word.equalsIgnoreCase("create");
                firstWord = false;
            } else if (create) {
                atomic |= begin && word.equalsIgnoreCase("atomic");
                begin = word.equalsIgnoreCase("begin");
            }
            part.append(word);
        }

        /** The {@code n}th {@code ?} of the text sent. */
        void parameter(int n) {
            part.append('$').append(n);
        }

        /** Any other character; a {@code ;} where pgjdbc splits ends a part instead. */
        void other(char c) {
            if (c == ';' && depth == 0 && !atomic) {
                split();
                return;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            part.append(c);
        }

        private void split() {
            if (!part.chars().allMatch(Character::isWhitespace)) {
                sent.append(part);
            }
            part.setLength(0);
            firstWord = true;
            create = false;
            begin = false;
        }

        /** The text, once every token has been given. */
        String text() {
            split();
            return sent.toString();
        }
    }
}
