package dev.nanolet.agent.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void numberedParametersBecomeJdbcOnesInOrderOfUse() {
        var p = Placeholders.of("insert into t values ($2, $1, $2)").check(2);
        assertThat(p.sql()).isEqualTo("insert into t values (?, ?, ?)");
        assertThat(p.order()).containsExactly(1, 0, 1);
    }

    @Test
    void literalsIdentifiersDollarQuotesAndCommentsAreLeftAlone() {
        var p = Placeholders.of("select '$1 it''s ?', \"$2\", $tag$ $1 ? $tag$, $$ $1 $$ -- $1 ?\n, j ? 'k', $1 /* $1 */").check(1);
        assertThat(p.sql()).isEqualTo("select '$1 it''s ?', \"$2\", $tag$ $1 ? $tag$, $$ $1 $$ -- $1 ?\n, j ?? 'k', ? /* $1 */");
        assertThat(p.order()).containsExactly(0);
    }

    /**
     * PostgreSQL reads only ASCII digits after {@code $} as a parameter; {@code $١$} (an Arabic-Indic one) opens a
     * dollar-quoted string, so the {@code $1} inside it is text, not a parameter to send.
     */
    @Test
    void anotherScriptsDigitIsNoParameterAndMayTagADollarQuote() {
        var p = Placeholders.of("select $\u0661$ $1 $\u0661$, $1").check(1);
        assertThat(p.sql()).isEqualTo("select $\u0661$ $1 $\u0661$, ?");
        assertThat(Placeholders.of("select $\u0661").check(0).sql()).isEqualTo("select $\u0661");
        assertThatThrownBy(() -> Placeholders.of("select $\u0661$ $1 ? $\u0661$, $1")).as("pgjdbc would make that ? a parameter")
                .isInstanceOf(Statement.Invalid.class);
    }

    /** A {@code $n} right after an identifier's character is part of that identifier, as PostgreSQL reads it. */
    @Test
    void aDollarDigitInsideAnIdentifierIsNoParameter() {
        var p = Placeholders.of("select a$1, b_$2, x=$1, f($2)").check(2);
        assertThat(p.sql()).isEqualTo("select a$1, b_$2, x=?, f(?)");
        assertThat(p.order()).containsExactly(0, 1);
    }

    /** In an escape string a backslash escapes the quote after it: the literal goes on past it. */
    @Test
    void aBackslashEscapedQuoteInAnEscapeStringDoesNotEndIt() {
        var p = Placeholders.of("select E'it\\'s $1 ?', e'\\\\', $1, name'x\\', $2").check(2);
        assertThat(p.sql()).isEqualTo("select E'it\\'s $1 ?', e'\\\\', ?, name'x\\', ?");
        assertThat(p.order()).containsExactly(0, 1);
    }

    /**
     * PostgreSQL joins string constants with a line break between them (white space and {@code --} comments too), the
     * second read as the first: after {@code E'a'} and a newline, {@code '\\' $1 '} is the same escape string going on,
     * {@code $1} text in it. pgjdbc reads a new literal there, ending at {@code \\'}, and another from the string's last
     * quote on, so it would send a parameter after the string as text: refused. Without a line break, or past a block
     * comment, the strings are not joined.
     */
    @Test
    void aStringContinuedOnTheNextLineIsOneStringAsToPostgresql() {
        for (String sql : List.of("select E'a'\n'\\' $1 ', $1", "select e'a' -- c\r  \n\t'\\' $1 ', $1")) {
            assertThatThrownBy(() -> Placeholders.of(sql)).as(sql).isInstanceOf(Statement.Invalid.class)
                    .hasMessageContaining("escape string continued on another line");
        }
        assertThat(Placeholders.of("select 'a'\n'$1', $1").check(1).sql()).isEqualTo("select 'a'\n'$1', ?");
        assertThat(Placeholders.of("select E'a'\n'\\\\', $1").check(1).sql()).isEqualTo("select E'a'\n'\\\\', ?");
        assertThat(Placeholders.of("select E'a' '\\' $1 '").check(1).order()).as("no line break: no continuation").containsExactly(0);
        assertThat(Placeholders.of("select E'a' /* c */\n'\\' $1 '").check(1).order()).as("a block comment: none").containsExactly(0);
    }

    /** PostgreSQL reads all of a parameter's digits, leading zeros too: {@code $0000012} is {@code $12}, never {@code $1}. */
    @Test
    void aParameterIsTheValueOfAllItsDigits() {
        assertThat(Placeholders.of("select $0000012, $01").check(12).order()).containsExactly(11, 0);
        assertThatThrownBy(() -> Placeholders.of("select $1234567890").check(2)).isInstanceOf(Statement.Invalid.class)
                .hasMessageContaining("$1234567890");
        assertThatThrownBy(() -> Placeholders.of("select $000").check(2)).isInstanceOf(Statement.Invalid.class);
    }

    @Test
    void aParameterNotSentIsABadRequest() {
        assertThatThrownBy(() -> Placeholders.of("select $3").check(2)).hasMessage("the statement uses $3 but 2 parameters were sent");
        assertThatThrownBy(() -> Placeholders.of("select $0").check(2)).isInstanceOf(Statement.Invalid.class);
    }

    /**
     * One call is one statement inside the node's transaction: pgjdbc would send the parts of a text with
     * several one after another (a {@code commit} among them escaping the rollback of a failed request),
     * and a statement of its own that ends or opens a transaction would break the one transaction per run.
     */
    @Test
    void severalStatementsOrOneThatEndsOrOpensATransactionAreABadRequest() {
        for (String sql : List.of("insert into t values (1); commit", "select 1; select 2", "select 1;; delete from t",
                "commit", "  COMMIT;", "rollback", "rollback to savepoint a", "begin", "start transaction", "end", "abort",
                "savepoint a", "release a", "prepare transaction 'x'", "/* prepare */ prepare /* x */ transaction 'x'",
                "/* a /* nested */ comment */ commit", "-- note\ncommit", "select '\\'' ; commit --'",
                "--\rcommit", "-- note\r\nrollback", "--\rsavepoint a", "--\rrelease a", "prepare --\rtransaction 'x'",
                "insert into t values (1) --\r; commit", "; commit", " ;; rollback",
                "prepare q as select 1", "execute q", "deallocate all", "DEALLOCATE prepare q")) {
            assertThatThrownBy(() -> Placeholders.of(sql)).as(sql).isInstanceOf(Statement.Invalid.class);
        }
        for (String sql : List.of("select 1;", "select ';' as s", "select $$; commit$$", "select 1 -- ; commit",
                "/* ; commit */ select 1", "update t set committed = true", "select 1 as begin", "select 1; -- done",
                "select 1;\n/* done */ ", "select 1 -- ;\r", " ;\t; select 1 ; \n", "select (1);",
                "create function f() returns int language sql begin atomic select 1; select 2; end;")) {
            assertThat(Placeholders.of(sql).order()).as(sql).isEmpty();
        }
    }

    /**
     * pgjdbc sends a part of comments after (or before) a {@code ;} as a query of its own, and the call failed with
     * "Multiple ResultSets": only the statement itself is handed to it, as PostgreSQL reads the whole text as that one.
     */
    @Test
    void commentsAndWhiteSpaceAroundTheStatementAreLeftOutOfTheTextForPgjdbc() {
        assertThat(Placeholders.of("select $1; -- c").check(1).sql()).isEqualTo("select ?");
        assertThat(Placeholders.of("select 1;\n/* done */ ;; \u000b").sql()).isEqualTo("select 1");
        assertThat(Placeholders.of("-- note\n; /* x */ select $1 -- kept\n;").check(1).sql()).isEqualTo(" /* x */ select ? -- kept\n");
        for (String none : List.of("", " ; ", "-- nothing", "/* a */ ; -- b")) {
            assertThatThrownBy(() -> Placeholders.of(none)).as(none).hasMessage("the text has no statement");
        }
        for (String open : List.of("select 1; /* x", "select 1; /* /* */", "/* ; select 1", "select 1 /* x")) {
            assertThatThrownBy(() -> Placeholders.of(open)).as(open).hasMessageStartingWith("unterminated /* comment");
        }
    }

    /**
     * pgjdbc drops a part of Java's white space ({@link Character#isWhitespace}: U+2003, U+001C…) after a {@code ;};
     * PostgreSQL reads such a character as an identifier's or a stray one, and refuses the text.
     */
    @Test
    void javaWhiteSpaceThatIsNotPostgresqlsAroundASemicolonIsASyntaxError() {
        for (String sql : List.of("select 1;\u2003", "select 1; \u3000 ", "\u2003; select 1", "select 1;\u001c", "select 1; \u2003 -- c")) {
            assertThatThrownBy(() -> Placeholders.of(sql)).as(sql).isInstanceOf(Statement.Invalid.class)
                    .hasMessageStartingWith("syntax error: U+").hasMessageContaining("is not white space to PostgreSQL");
        }
        assertThatThrownBy(() -> Placeholders.of("select 1;\u2003")).hasMessageContaining("U+2003");
    }

    /**
     * pgjdbc sees {@code ATOMIC} only once the word has ended: a {@code ;} right after it was a split, and the body's
     * statements counted as statements of their own. A space before it makes pgjdbc read the body as PostgreSQL does.
     */
    @Test
    void aSemicolonRightAfterBeginAtomicIsPartOfTheFunctionsBody() {
        var p = Placeholders.of("create function f() returns int language sql BEGIN ATOMIC; select 1; end");
        assertThat(p.sql()).isEqualTo("create function f() returns int language sql BEGIN ATOMIC ; select 1; end");
        assertThat(Placeholders.of("create function f() returns int language sql begin atomic;select 1;end;").sql())
                .as("pgjdbc splits nothing after BEGIN ATOMIC, and PostgreSQL takes a last ';'")
                .isEqualTo("create function f() returns int language sql begin atomic ;select 1;end;");
        assertThatThrownBy(() -> Placeholders.of("select 1 as begin, 2 as atomic; commit")).isInstanceOf(Statement.Invalid.class);
    }

    @Test
    void secretValuesInEveryShapeBecomeAJdbcTarget() {
        assertThat(Target.of(Map.of("url", "postgresql://ann:p%40ss@db.local:5433/app?sslmode=disable")))
                .isEqualTo(new Target("jdbc:postgresql://db.local:5433/app?sslmode=disable", "ann", "p@ss"));
        assertThat(Target.of(Map.of("url", "jdbc:postgresql://h/app", "user", "u", "password", "p")))
                .isEqualTo(new Target("jdbc:postgresql://h/app", "u", "p"));
        assertThat(Target.of(Map.of("host", "h", "database", "app", "user", "u")))
                .isEqualTo(new Target("jdbc:postgresql://h:5432/app", "u", ""));
        assertThat(Target.of(Map.of("url", "jdbc:postgresql://h/app", "user", "u", "password", "hunter2")).toString()).doesNotContain("hunter2");
        for (var bad : List.of(Map.of("url", "mysql://h/db", "user", "u"), Map.of("host", "h", "user", "u"),
                Map.of("host", "h", "database", "d", "user", "u", "port", "x"), Map.of("url", "jdbc:postgresql://h/app"))) {
            assertThatThrownBy(() -> Target.of(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * pgjdbc lets a URL's parameters win over the node's properties: the tenant's own secret could bring
     * back whole-result reads ({@code maxResultBuffer}, {@code defaultRowFetchSize}), slow cancels, or load
     * a class of its choice. Only where the server is and how TLS is used may be set.
     */
    @Test
    void aSecretsUrlMaySetOnlyConnectionAndTlsParameters() {
        var ok = "jdbc:postgresql://h/app?sslmode=require&ssl=true&ApplicationName=todo&connectTimeout=5&targetServerType=primary&currentSchema=app";
        assertThat(Target.of(Map.of("url", ok, "user", "u")).jdbcUrl()).isEqualTo(ok);
        assertThat(Target.of(Map.of("url", "postgres://u@h/app?sslmode=verify-full")).jdbcUrl()).isEqualTo("jdbc:postgresql://h/app?sslmode=verify-full");
        // a provider's libpq-style URI (Neon's default, for one) works: its names are pgjdbc's once read
        assertThat(Target.of(Map.of("url", "postgresql://u:p@h/app?sslmode=require&channel_binding=require&connect_timeout=10"
                + "&application_name=todo&target_session_attrs=read-write")).jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/app?sslmode=require&connectTimeout=10&ApplicationName=todo&targetServerType=primary");
        for (var bad : List.of(Map.of("url", "jdbc:postgresql://h/app?maxResultBuffer=1G&defaultRowFetchSize=0", "user", "u"),
                Map.of("url", "postgresql://u:p@h/app?connect_timeout=0"),
                Map.of("url", "postgresql://u:p@h/app?sslmode=require&cancelSignalTimeout=60"),
                Map.of("url", "jdbc:postgresql://h/app?autosave=never", "user", "u"),
                Map.of("url", "jdbc:postgresql://h/app?preferQueryMode=simple", "user", "u"),
                Map.of("url", "jdbc:postgresql://h/app?socketTimeout=0", "user", "u"),
                Map.of("url", "jdbc:postgresql://h/app?sslfactory=org.example.Evil", "user", "u"),
                Map.of("url", "jdbc:postgresql://h/app?connectTimeout=0", "user", "u"),
                Map.of("url", "jdbc:postgresql://h/app?connectTimeout=600", "user", "u"),
                Map.of("host", "h", "database", "app?defaultRowFetchSize=0", "user", "u"))) {
            assertThatThrownBy(() -> Target.of(bad)).as(bad.toString()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the secret's url sets ");
        }
    }
}
