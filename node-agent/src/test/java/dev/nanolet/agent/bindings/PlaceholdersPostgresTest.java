package dev.nanolet.agent.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rewrite against PostgreSQL itself: each statement, run as the node runs it ({@link Placeholders}, then pgjdbc
 * with the parameters bound in {@link Placeholders#order}), gives the row PostgreSQL's own reading of the text gives
 * ({@code PREPARE … AS} the text as written, then {@code EXECUTE} with the same values). Each one puts a character
 * PostgreSQL's lexer counts as an identifier's (any byte from 0x80) but {@link Character#isLetterOrDigit} does not
 * (€, ·) next to a {@code $} or an {@code E'}.
 */
class PlaceholdersPostgresTest {
    static final List<String> VALUES = List.of("x", "y");
    static Connection db;

    @BeforeAll
    static void connect() throws SQLException {
        TestPostgres.Database d = TestPostgres.newDatabase();
        db = DriverManager.getConnection(d.url(), d.user(), d.password());
        db.createStatement().execute("create domain \"€e\" as text"); // so that €e'…' is a typed literal, not a syntax error
    }

    @AfterAll
    static void close() throws SQLException {
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select 1 as €$a$, $1::text as b$a$, $2::text as c", // €$a$ is one identifier, no dollar quote to b$a$
        "select 1 as a$$x$, $1::text as b, $2::text as c$x$", // so is a$$x$
        "select 1 as ·$1, $2::text as b", // ·$1 too: no parameter 1 in it
        "select $€$ $1 $€$::text as t, $1::text as u, $2::text as v", // $€$ opens a dollar quote
        "select $\u0661$ $1 $\u0661$::text as t, $1::text as u, $2::text as v", // so does $١$
        "select €e'\\' as a, $1::text as b, $2::text as c, '' as d", // €e'…' is no escape string: \ does not escape
        "select E'\\' $1 ' as a, $1::text as b, $2::text as c", // E'…' is one
        "select $01::text as a, $0000002::text as b", // a parameter's number is its digits' value, leading zeros or not
        "select $€$ a ?? b ? $€$::text as t, $1::text as u", // pgjdbc takes $€$ as PostgreSQL does
        // an escape string continued on the next line: \' a quote in it, $2 and -- text (the node sent the $2 as pgjdbc's $1)
        "select E'a'\n'\\' $2 --' as t\n, $1::text as u",
        // quotes, comments and identifiers around a ';', string continuation across CRLF and comments, as a reviewer tried them
        "select 1 /* /* */ ; $2 */ as a, $1::text as b", "select $$;$2$$ as a, $1::text as b", "select $é$;$2$é$ as a, $1::text as b",
        "select E'\\';$2' as a, $1::text as b", "select U&'d!0061t;$2' UESCAPE '!' as a, $1::text as b",
        "select 1 as \"a;$2\", $1::text as b", "select E'a'\r\n'b;$2' as a, $1::text as b",
        "select E'a'\n-- c\n'$2' as a, $1::text as b", "select 'a' -- c\r'$2' as a, $1::text as b",
        "select 'a'\n-- c '$2' as a\n, $1::text as b", "select 'begin atomic;' as a, $1::text as b",
    })
    void runsWhatPostgresqlReadsInTheText(String sql) throws SQLException {
        assertThat(asTheNodeRunsIt(sql)).isEqualTo(asPostgresqlReadsIt(sql));
    }

    /**
     * pgjdbc does not take {@code $١$} or {@code $·$} as a dollar quote: it would send {@code ??} in it as {@code ?} (the
     * string changed) or {@code ?} as a parameter. Refused, with what to do instead; PostgreSQL itself reads them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"select $\u0661$ a ?? b $\u0661$::text as t, $1::text as u", "select $·$ a ? b $·$::text as t, $1::text as u",
        "select $a©$ a ?? b $a©$::text as t, $1::text as u"})
    void aDollarQuotePgjdbcWouldMisreadIsRefusedNotSentChanged(String sql) throws SQLException {
        assertThat(asPostgresqlReadsIt(sql)).contains("u=x");
        assertThatThrownBy(() -> Placeholders.of(sql)).isInstanceOf(Statement.Invalid.class).hasMessageContaining("use an ASCII tag");
    }

    /**
     * pgjdbc rewrites JDBC escapes before anything else, in a dollar quote it does not take as one too: the string
     * PostgreSQL got said {@code  DATE '2020-01-01' }, and {@code {fn ucase('a')}}, a syntax error to PostgreSQL, ran.
     */
    @ParameterizedTest
    @ValueSource(strings = {"select $·$ {d '2020-01-01'} $·$::text as t", "select $\u0661$ {fn ucase('x')} $\u0661$::text as t"})
    void aJdbcEscapeInADollarQuotePgjdbcWouldMisreadIsRefusedNotRewritten(String sql) throws SQLException {
        assertThat(asPostgresqlReadsIt(sql)).singleElement().asString().contains("{");
        assertThatThrownBy(() -> Placeholders.of(sql)).isInstanceOf(Statement.Invalid.class).hasMessageContaining("JDBC escape");
    }

    @Test
    void aJdbcEscapeIsRefusedAsPostgresqlRefusesIt() {
        String sql = "select {fn ucase('a')} as a";
        assertThatThrownBy(() -> asPostgresqlRunsTheWholeText(sql)).isInstanceOf(SQLException.class).hasMessageContaining("syntax error");
        assertThatThrownBy(() -> Placeholders.of(sql)).isInstanceOf(Statement.Invalid.class).hasMessageContaining("JDBC escape");
    }

    /**
     * A {@code ;} in such a quote is, to pgjdbc, where one statement ends, and the rest a comment: it would send the text
     * without the {@code ;} (and without a part of white space after it), so PostgreSQL would never see the string. Once
     * let through, as the driver's text was compared with white space and {@code ;} taken out.
     */
    @ParameterizedTest
    @ValueSource(strings = {"select $\u0661$;--$\u0661$::text as t", "select $\u0661$; ;--$\u0661$::text as t"})
    void aSemicolonInADollarQuotePgjdbcWouldMisreadIsRefusedNotDropped(String sql) throws SQLException {
        assertThat(asPostgresqlRunsTheWholeText(sql)).contains("<t>;").contains(";--</t>");
        assertThatThrownBy(() -> Placeholders.of(sql)).isInstanceOf(Statement.Invalid.class).hasMessageContaining("use an ASCII tag");
    }

    /**
     * A statement with only comments and white space after (or before) its {@code ;} is one statement to PostgreSQL; pgjdbc
     * sent the comments as a query of their own, and the call failed with "Multiple ResultSets were returned".
     */
    @ParameterizedTest
    @ValueSource(strings = {"select $1::text as a, $2::text as b; -- done", "-- a note\n; select $1::text as a, $2::text as b;\n/* done */ ;"})
    void aStatementWithCommentsAroundItsSemicolonRunsAsTheOneStatementItIs(String sql) throws SQLException {
        assertThat(asPostgresqlRunsTheWholeText(sql.replace("$1", "'x'").replace("$2", "'y'"))).contains("<a>x</a>", "<b>y</b>");
        assertThat(asTheNodeRunsIt(sql)).containsExactly("a=x", "b=y");
    }

    /**
     * pgjdbc leaves out a part of Java's white space after a {@code ;} (U+2003, U+001C…), which PostgreSQL reads as
     * something else and refuses: the node ran the rest. Refused as PostgreSQL refuses it, a syntax error.
     */
    @ParameterizedTest
    @ValueSource(strings = {"select 1 as a;\u2003", "\u2003; select 1 as a", "select 1 as a;\u001c", "select 1 as a; \u3000 ;"})
    void javaWhiteSpaceThatIsNotPostgresqlsAfterASemicolonIsASyntaxErrorAsToPostgresql(String sql) {
        assertThatThrownBy(() -> asPostgresqlRunsTheWholeText(sql)).isInstanceOf(SQLException.class).hasMessageContaining("syntax error");
        assertThatThrownBy(() -> Placeholders.of(sql)).isInstanceOf(Statement.Invalid.class).hasMessageStartingWith("syntax error: U+");
    }

    /**
     * PostgreSQL refuses a text with an unterminated block comment wherever it is; after a {@code ;}, where the node leaves
     * out a part of comments, the node ran the statement before it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"select 1 as a; /* unterminated", "select 1 as a; /* /* */", "select 1 as a /* /* */"})
    void anUnterminatedBlockCommentIsRefusedAsPostgresqlRefusesIt(String sql) {
        assertThatThrownBy(() -> asPostgresqlRunsTheWholeText(sql)).isInstanceOf(SQLException.class).hasMessageContaining("unterminated /* comment");
        assertThatThrownBy(() -> Placeholders.of(sql)).isInstanceOf(Statement.Invalid.class).hasMessageStartingWith("unterminated /* comment");
    }

    /**
     * The node reads everything after {@code BEGIN ATOMIC} as the body, as pgjdbc does, so a statement after the function's
     * {@code END} reaches PostgreSQL with it: it refuses several commands in one prepared statement, nothing runs.
     */
    @Test
    void aStatementAfterABeginAtomicBodyIsRefusedByPostgresql() throws SQLException {
        Placeholders p = Placeholders.of("create function atomic_g() returns int language sql begin atomic; select 1; end; commit");
        assertThatThrownBy(() -> db.prepareStatement(p.sql()).execute()).isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot insert multiple commands into a prepared statement");
    }

    /** A {@code ;} right after {@code BEGIN ATOMIC} (an empty statement, to PostgreSQL) was a split to pgjdbc, and refused. */
    @Test
    void aFunctionBodyWithASemicolonRightAfterBeginAtomicIsCreatedAsPostgresqlReadsIt() throws SQLException {
        Placeholders p = Placeholders.of("create function atomic_f(a text) returns text language sql begin atomic; select a || '!'; end;");
        try (var ps = db.prepareStatement(p.sql())) {
            ps.execute();
        }
        try (var s = db.createStatement()) {
            assertThat(row(s.executeQuery("select atomic_f('x') as f"))).containsExactly("f=x!");
        }
    }

    /** What PostgreSQL makes of {@code sql} as a whole, statements and all, never read by pgjdbc: the rows as XML. */
    static String asPostgresqlRunsTheWholeText(String sql) throws SQLException {
        try (var ps = db.prepareStatement("select query_to_xml(?, false, true, '')::text")) {
            ps.setString(1, sql);
            return row(ps.executeQuery()).getFirst();
        }
    }

    static List<String> asPostgresqlReadsIt(String sql) throws SQLException {
        try (var s = db.createStatement()) {
            s.setEscapeProcessing(false); // pgjdbc's escape processing refuses a quote it reads as unterminated
            s.execute("prepare reference(text, text) as " + sql);
            try {
                return row(s.executeQuery("execute reference('" + VALUES.get(0) + "', '" + VALUES.get(1) + "')"));
            } finally {
                s.execute("deallocate reference");
            }
        }
    }

    static List<String> asTheNodeRunsIt(String sql) throws SQLException {
        Placeholders p = Placeholders.of(sql).check(VALUES.size());
        try (var ps = db.prepareStatement(p.sql())) {
            for (int i = 0; i < p.order().size(); i++) {
                ps.setString(i + 1, VALUES.get(p.order().get(i)));
            }
            return row(ps.executeQuery());
        }
    }

    private static List<String> row(ResultSet rs) throws SQLException {
        assertThat(rs.next()).isTrue();
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
            row.add(rs.getMetaData().getColumnLabel(c) + "=" + rs.getString(c));
        }
        return Collections.unmodifiableList(row);
    }
}
