package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptTest {

    /**
     * A cut never splits a character outside the BMP (an emoji is two chars): half of it is no character, which the
     * API server stores as U+FFFD in the status message and the event.
     */
    @Test
    void aCutKeepsACharacterOutsideTheBmpWholeOrLeavesItOut() {
        String emoji = "\uD83D\uDE00";
        String text = "a".repeat(Excerpt.MAX - 1) + emoji + "b";

        assertThat(Excerpt.of(text)).isEqualTo("a".repeat(Excerpt.MAX - 1) + "… (66 characters)");
        assertThat(Excerpt.of("a".repeat(Excerpt.MAX))).isEqualTo("a".repeat(Excerpt.MAX));
    }

    /** Quoted literally, each time (an image may hold regex characters, {@code $} and {@code \\}); a short one stays whole. */
    @Test
    void withinAMessageALongTextIsQuotedByItsExcerptEachTimeLiterally() {
        String image = "r.example/$1\\.*" + "x".repeat(100);

        assertThat(Excerpt.within("cannot fetch " + image + ": '" + image + "' is not", image))
                .isEqualTo("cannot fetch " + Excerpt.of(image) + ": '" + Excerpt.of(image) + "' is not");
        assertThat(Excerpt.within("fetched module r.example/a:v1", "r.example/a:v1")).isEqualTo("fetched module r.example/a:v1");
        assertThat(Excerpt.within(null, image)).isNull();
    }
}
