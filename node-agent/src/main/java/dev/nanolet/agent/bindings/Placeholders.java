package dev.nanolet.agent.bindings;

import dev.nanolet.wire.Digits;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postgresql.core.Parser;

/**
 * PostgreSQL's own parameter style ({@code $1}, {@code $2}, a number used as often as wanted) turned
 * into JDBC's ({@code ?} in order): {@code $n} outside string literals (escape strings {@code E'…'} too), quoted identifiers, dollar
 * quotes and comments becomes {@code ?}, a lone {@code ?} (a jsonb operator) becomes pgjdbc's {@code ??}.
 *
 * The rewrite depends on the SQL text only, so a pool keeps it per text ({@link Pool#placeholders}) and
 * each call only {@link #check}s that the parameters it uses were sent. A text is one statement, and not
 * one that ends or opens a transaction (the run's one transaction is the node's to end): pgjdbc would
 * send the parts of {@code insert …; commit} one after another, and the commit would escape the
 * rollback of a failed request. SQL-level {@code PREPARE}, {@code EXECUTE} and {@code DEALLOCATE} are
 * refused too: the session reset between runs ({@link Held#reset}) keeps pgjdbc's server-prepared
 * statements, which {@code DEALLOCATE ALL} would drop and a run's own {@code PREPARE} would outlive.
 *
 * @param sql the statement for {@code prepareStatement}: the text's one statement, without the {@code ;}s, comments and
 *     white space around it ({@link Parts})
 * @param order for each {@code ?} in turn, the 0-based index of the guest's parameter it binds
 * @param highest the highest {@code $n} the statement uses (0 for none)
 */
record Placeholders(String sql, List<Integer> order, int highest) {

    /** This, if the statement uses only parameters 1 to {@code params}. */
    Placeholders check(int params) {
        if (highest > params) {
            throw new Statement.Invalid("the statement uses $" + highest + " but " + params + " parameters were sent");
        }
        return this;
    }

    /** First words of the statements that end, open or split the run's transaction. */
    private static final Set<String> TRANSACTION_CONTROL = Set.of("begin", "start", "commit", "end", "rollback", "abort",
            "savepoint", "release");
    /** First words of the SQL-level prepared statement commands ({@code prepare transaction} is transaction control). */
    private static final Set<String> PREPARED = Set.of("prepare", "execute", "deallocate");

    /** Rewrites {@code sql}; a {@code $0}, several statements or a transaction-control statement is {@link Statement.Invalid}. */
    static Placeholders of(String sql) {
        Placeholders p = rewrite(sql);
        List<String> words = firstWords(sql);
        String first = words.getFirst();
        if (TRANSACTION_CONTROL.contains(first) || first.equals("prepare") && words.get(1).equals("transaction")) {
            throw new Statement.Invalid("'" + first + "' is not allowed: a request or run is one transaction, committed or"
                    + " rolled back by the node (call commit() to commit what came before)");
        }
        if (PREPARED.contains(first)) {
            throw new Statement.Invalid("'" + first + "' is not allowed: the node prepares statements itself (send the"
                    + " statement with $1, $2… parameters)");
        }
        return p;
    }

    /**
     * Refuses a text that pgjdbc would send as more than one statement, split where its own parser finds a
     * {@code ;} — under either setting of {@code standard_conforming_strings}, which the session may change.
     * A part that is only white space and comments (after a trailing {@code ;}) is no statement.
     */
    private static void oneStatement(String jdbcSql) {
        for (boolean standardStrings : new boolean[] {true, false}) {
            try {
                long statements = Parser.parseJdbcSql(jdbcSql, standardStrings, true, true, false, false).stream()
                        .filter(q -> !blank(q.nativeSql)).count();
                if (statements > 1) {
                    throw new Statement.Invalid("one call runs one statement; the text has " + statements + " (split at ';')");
                }
            } catch (SQLException e) {
                throw new Statement.Invalid("the statement cannot be parsed: " + e.getMessage());
            }
        }
    }

    private static boolean blank(String sql) {
        return skipBlank(sql, 0, false) == sql.length();
    }

    /** The first index at or past {@code i} that is not white space or a comment (nor a {@code ;}, if {@code semicolons}). */
    private static int skipBlank(String sql, int i, boolean semicolons) {
        while (i < sql.length()) {
            int end = skip(sql, i);
            if (end > i && (sql.startsWith("--", i) || sql.startsWith("/*", i))) {
                i = end;
            } else if (Character.isWhitespace(sql.charAt(i)) || semicolons && sql.charAt(i) == ';') {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * The statement's first two words in lower case, past white space, comments and empty statements
     * ({@code ;commit} is a commit), "" where there is none.
     */
    private static List<String> firstWords(String sql) {
        List<String> words = new ArrayList<>(2);
        int i = 0;
        while (words.size() < 2) {
            i = skipBlank(sql, i, words.isEmpty());
            int start = i;
            while (i < sql.length() && Character.isLetter(sql.charAt(i))) {
                i++;
            }
            words.add(sql.substring(start, i).toLowerCase(Locale.ROOT));
        }
        return words;
    }

    /** The rewrite of the text's one statement, once pgjdbc sends it as PostgreSQL reads the text ({@link DriverReading}). */
    private static Placeholders rewrite(String sql) {
        var parts = new Parts();
        List<Integer> order = new ArrayList<>();
        int highest = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end = skip(sql, i);
            if (end > i) {
                if (sql.startsWith("/*", i) && blockCommentEnd(sql, i) < 0) {
                    throw new Statement.Invalid("unterminated /* comment: PostgreSQL refuses the text");
                }
                if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                    parts.comment(sql.subSequence(i, end));
                } else {
                    parts.quoted(sql.subSequence(i, end));
                }
                i = end;
            } else if (identifierStart(c)) { // a keyword or identifier, with the $ and digits it holds: a$1 and a$$b$ are one
                int j = i + 1;
                while (j < n && (identifierStart(sql.charAt(j)) || isDigit(sql.charAt(j)) || sql.charAt(j) == '$')) {
                    j++;
                }
                parts.word(sql.substring(i, j));
                i = j;
            } else if (c == '$' && i + 1 < n && isDigit(sql.charAt(i + 1)) && !inIdentifier(sql, i)) {
                int j = i + 1;
                while (j < n && isDigit(sql.charAt(j))) {
                    j++;
                }
                int index = number(sql.substring(i + 1, j)) - 1;
                order.add(index);
                highest = Math.max(highest, index + 1);
                parts.parameter(order.size());
                i = j;
            } else {
                parts.other(c);
                i++;
            }
        }
        Parts.Part statement = parts.statement();
        oneStatement(statement.jdbc());
        DriverReading.check(statement.jdbc(), statement.sent());
        return new Placeholders(statement.jdbc(), List.copyOf(order), highest);
    }

    /**
     * A parameter's number, the value of all its digits as PostgreSQL reads it ({@code $01} is {@code $1}, {@code $0000012}
     * is {@code $12}); {@code $0} and a number of more than 9 significant digits are {@link Statement.Invalid}.
     */
    private static int number(String digits) {
        long number = Digits.parse(digits.replaceFirst("^0+(?=.)", ""), 9).orElse(-1);
        if (number < 0) {
            throw new Statement.Invalid("the statement uses $" + digits + "; no statement has that many parameters");
        }
        if (number == 0) {
            throw new Statement.Invalid("the statement uses $" + digits + "; parameters are numbered from $1");
        }
        return (int) number;
    }

    /**
     * Whether the {@code $} at {@code i} follows a number's or identifier's character ({@code 1$1}, {@code $1$2}: PostgreSQL
     * refuses them, so they are left as written for it to).
     */
    private static boolean inIdentifier(String sql, int i) {
        return i > 0 && afterWord(sql.charAt(i - 1));
    }

    /** A character a word (identifier, keyword or number) may go on with, so that a {@code $} or {@code '} right after it is no token's start. */
    private static boolean afterWord(char c) {
        return identifierStart(c) || isDigit(c) || c == '$';
    }

    /**
     * A character that starts an identifier or a dollar quote's tag, as PostgreSQL's lexer reads UTF-8 (scan.l's
     * {@code ident_start}): an ASCII letter, {@code _}, or any non-ASCII character ({@code €}, {@code ·}, not only
     * what {@link Character#isLetter} takes: each of their bytes is 0x80 or above).
     */
    private static boolean identifierStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    /**
     * Whether the quote at {@code quote} opens an escape string ({@code E'…'}, {@code e'…'}), in which a
     * backslash escapes the next character ({@code E'it\\'s'} is one literal), whatever
     * {@code standard_conforming_strings} says.
     */
    private static boolean escapeString(String sql, int quote) {
        int e = quote - 1;
        return e >= 0 && (sql.charAt(e) == 'E' || sql.charAt(e) == 'e') && (e == 0 || !afterWord(sql.charAt(e - 1)));
    }

    /**
     * Where a string whose closing quote is just before {@code i} goes on, as PostgreSQL reads it: two string constants
     * with only white space and {@code --} comments between them, a line break among it, are one ({@code E'a'} newline
     * {@code 'b'}), the second read as the first is ({@code \'} in it escapes the quote, if the first is an escape
     * string). The index of the quote that continues it; {@code -1} if none does.
     */
    private static int continuation(String sql, int i) {
        boolean newline = false;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (sql.startsWith("--", i)) {
                i = skip(sql, i); // past the line break that ends it, or at the end
                newline = true;
            } else if (Parts.SPACE.indexOf(c) >= 0) {
                newline |= c == '\n' || c == '\r';
                i++;
            } else {
                return c == '\'' && newline ? i : -1;
            }
        }
        return -1;
    }

    /** The end of a literal, quoted identifier, dollar quote or comment starting at {@code i}; {@code i} if none does. */
    private static int skip(String sql, int i) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
            boolean escapes = c == '\'' && escapeString(sql, i);
            int j = i + 1;
            while (j < sql.length()) {
                if (escapes && sql.charAt(j) == '\\') {
                    j += 2;
                    continue;
                }
                if (sql.charAt(j) == c) {
                    if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    int next = c == '\'' ? continuation(sql, j + 1) : -1;
                    if (next < 0) {
                        return j + 1;
                    }
                    j = next;
                }
                j++;
            }
            return sql.length();
        }
        if (sql.startsWith("--", i)) { // ends at a line feed or a carriage return, as in PostgreSQL and pgjdbc
            int j = i + 2;
            while (j < sql.length() && sql.charAt(j) != '\n' && sql.charAt(j) != '\r') {
                j++;
            }
            return Math.min(j + 1, sql.length());
        }
        if (sql.startsWith("/*", i)) {
            int end = blockCommentEnd(sql, i);
            return end < 0 ? sql.length() : end;
        }
        if (c == '$' && (i == 0 || !identifierStart(sql.charAt(i - 1)) && !isDigit(sql.charAt(i - 1)))) {
            int j = i + 1;
            while (j < sql.length() && (identifierStart(sql.charAt(j)) || isDigit(sql.charAt(j)))) {
                j++;
            }
            if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !isDigit(sql.charAt(i + 1)))) {
                String tag = sql.substring(i, j + 1);
                int close = sql.indexOf(tag, j + 1);
                return close < 0 ? sql.length() : close + tag.length();
            }
        }
        return i;
    }

    /**
     * The end of the block comment starting at {@code i}, as PostgreSQL reads it (block comments nest); {@code -1} if it
     * is unterminated, which PostgreSQL refuses wherever it is: after a {@code ;} too, where the part would be left out.
     */
    private static int blockCommentEnd(String sql, int i) {
        int depth = 0;
        int j = i;
        while (j < sql.length()) {
            if (sql.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (sql.startsWith("*/", j)) {
                j += 2;
                if (--depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        return -1;
    }

    /**
     * An ASCII digit, the only kind PostgreSQL reads in a parameter ({@code $1}) or refuses at a dollar quote's start;
     * {@link Character#isDigit} also takes other scripts' ({@code $١$} is a dollar quote's tag to PostgreSQL).
     */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
