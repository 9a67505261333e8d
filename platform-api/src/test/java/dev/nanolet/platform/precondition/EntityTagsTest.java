package dev.nanolet.platform.precondition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.platform.BadRequestException;
import org.junit.jupiter.api.Test;

/** If-Match / If-None-Match values as RFC 9110 lets a sender write them. */
class EntityTagsTest {

    @Test
    void emptyListElementsAreSkipped() {
        assertThat(EntityTags.parse("If-Match", "\"0\", , \"57\",").tags())
                .containsExactly(new EntityTags.Tag("0", false), new EntityTags.Tag("57", false));
        assertThat(EntityTags.parse("If-Match", ", W/\"1\"").tags()).containsExactly(new EntityTags.Tag("1", true));
    }

    @Test
    void aTagMayHoldObsText() {
        assertThat(EntityTags.parse("If-None-Match", "\"caf\u00e9\u0080\u00ff\"").tags())
                .containsExactly(new EntityTags.Tag("caf\u00e9\u0080\u00ff", false));
    }

    @Test
    void aListWithoutATagOrWithAnUnquotedOneIsRefused() {
        for (String value : new String[] {"", " , ,", "57", "\"57\" 58", "\"a\"b\"", "\"\u0100\""}) {
            assertThatThrownBy(() -> EntityTags.parse("If-Match", value)).as(value).isInstanceOf(BadRequestException.class);
        }
    }
}
