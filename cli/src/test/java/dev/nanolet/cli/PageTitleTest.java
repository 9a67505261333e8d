package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The {@code <title>} of an error page is found in one pass: a hostile 64 KB page of {@code <title>} without its end made
 * the search try each of them to the page's end (seconds of CPU). The work is counted in characters read, not timed.
 */
class PageTitleTest {
    /** A {@link CharSequence} that counts the characters read from it. */
    private static final class Counting implements CharSequence {
        private final String text;
        long reads;

        Counting(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            reads += end - start;
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    @Test
    void aPageOfTitlesWithoutAnEndIsReadAFewTimesAtMost() {
        for (String hostile : new String[] {"<title>", "<TiTlE x=\"", "<title"}) {
            Counting page = new Counting(hostile.repeat(65_536 / hostile.length()));

            assertThat(Excerpt.title(page)).as(hostile).isNull();
            assertThat(page.reads).as(hostile).isLessThan(16L * page.length());
        }
        assertThat(Excerpt.of("<html>" + "<title>".repeat(9000))).isEqualTo("a web page");
    }

    @Test
    void theFirstTitleIsFoundInAnyCase() {
        assertThat(Excerpt.title("<html><head><TITLE lang=en>502 Bad Gateway</Title><title>2</title>")).isEqualTo("502 Bad Gateway");
        assertThat(Excerpt.title("<title>open<title>nested</title>")).isEqualTo("open<title>nested");
        assertThat(Excerpt.title("<title>")).isNull();
        assertThat(Excerpt.title("no page")).isNull();
    }
}
