package dev.nanolet.agent.bindings;

import java.util.ArrayList;
import java.util.List;

/**
 * A text, given token by token as PostgreSQL reads it ({@link Placeholders}), cut where pgjdbc would cut it into queries it
 * sends one after another: at each {@code ;} outside parentheses and outside the body of a {@code CREATE … BEGIN ATOMIC}.
 * Of each part it builds the text for pgjdbc ({@code ?} for each parameter, a lone {@code ?} doubled) and what pgjdbc
 * should send of that ({@link DriverReading}): the part as written, its parameters {@code $1}, {@code $2}… in order, and
 * a space before a {@code ;} right after {@code BEGIN ATOMIC} ({@link #other}).
 *
 * <p>One part may be a statement. A part of only PostgreSQL's white space and comments is none, and is left out of the
 * text for pgjdbc: pgjdbc sends a part of comments as a query of its own ({@code select 1; -- done} would fail with
 * "Multiple ResultSets"). A part that pgjdbc would leave out as white space and PostgreSQL reads as something else
 * ({@code ;\u2003}: Java's white space is wider than PostgreSQL's) is refused, as PostgreSQL refuses it.
 */
final class Parts {
    /** White space to PostgreSQL's lexer (scan.l's {@code space}; a vertical tab since PostgreSQL 16). */
    static final String SPACE = " \t\n\r\f\u000b";

    /** A part: the text for pgjdbc and what pgjdbc should send of it. */
    record Part(String jdbc, String sent) {}

    private final List<Part> statements = new ArrayList<>();
    private final StringBuilder jdbc = new StringBuilder();
    private final StringBuilder sent = new StringBuilder();
    /** The part so far is only PostgreSQL's white space and comments. */
    private boolean blank = true;
    /** The part so far is only Java's white space and comments: pgjdbc would leave it out if it has no comment. */
    private boolean javaBlank = true;
    /** The first character of the part that Java takes for white space and PostgreSQL does not ({@code -1}: none). */
    private int strange = -1;
    private int depth;
    private boolean firstWord = true;
    private boolean create;
    private boolean begin;
    private boolean atomic;
    private boolean atomicJustOpened;

    /** A comment, as written. */
    void comment(CharSequence text) {
        append(text, text);
    }

    /** A literal, quoted identifier or dollar quote, as written. */
    void quoted(CharSequence text) {
        javaBlank = blank = false;
        append(text, text);
    }

    /** A keyword or identifier: a {@code CREATE} statement's {@code BEGIN ATOMIC} keeps its {@code ;}s. */
    void word(String word) {
        word.chars().forEach(this::character);
        append(word, word);
        if (firstWord) {
            create = word.equalsIgnoreCase("create");
            firstWord = false;
        } else if (create) {
            atomicJustOpened = !atomic && begin && word.equalsIgnoreCase("atomic");
            atomic |= atomicJustOpened;
            begin = word.equalsIgnoreCase("begin");
        }
    }

    /** The {@code n}th parameter of the text, in order. */
    void parameter(int n) {
        javaBlank = blank = false;
        append("?", "$" + n);
    }

    /**
     * Any other character; a {@code ;} where pgjdbc splits ends a part instead. pgjdbc sees a word only once it has
     * ended, so a {@code ;} right after {@code ATOMIC} would be a split to it: it gets a space before it.
     */
    void other(char c) {
        if (c == ';' && depth == 0 && !atomic) {
            split();
            return;
        }
        if (c == ';' && atomicJustOpened) {
            append(" ", " ");
        }
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        character(c);
        append(c == '?' ? "??" : String.valueOf(c), String.valueOf(c));
    }

    /** A character outside comments and quotes. */
    private void character(int c) {
        if (SPACE.indexOf(c) < 0) {
            blank = false;
            if (!Character.isWhitespace(c)) {
                javaBlank = false;
            } else if (strange < 0) {
                strange = c;
            }
        }
    }

    private void append(CharSequence forJdbc, CharSequence forSent) {
        jdbc.append(forJdbc);
        sent.append(forSent);
        atomicJustOpened = false;
    }

    private void split() {
        if (!blank && javaBlank) {
            throw new Statement.Invalid(String.format("syntax error: U+%04X is not white space to PostgreSQL, which"
                    + " refuses the text (pgjdbc would leave it out after a ';' and run the rest): use a space", strange));
        }
        if (!blank) {
            statements.add(new Part(jdbc.toString(), sent.toString()));
        }
        jdbc.setLength(0);
        sent.setLength(0);
        blank = javaBlank = true;
        strange = -1;
        firstWord = true;
        create = false;
        begin = false;
    }

    /** The one statement of the text, once every token has been given; {@link Statement.Invalid} if it has none or several. */
    Part statement() {
        split();
        if (statements.isEmpty()) {
            throw new Statement.Invalid("the text has no statement");
        }
        if (statements.size() > 1) {
            throw new Statement.Invalid("one call runs one statement; the text has " + statements.size() + " (split at ';')");
        }
        return statements.getFirst();
    }
}
