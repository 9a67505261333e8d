package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each value a deserialization context reads as a whole is a body of its own, whose wrong values it throws once read: the
 * first value read began the body and, read without fault, left its state behind, so that the next value the same
 * context read (a root array's next element, a stream's next value) collected its wrong values, read them as empty and
 * was accepted.
 */
class WrongValueCollectorTest {
    private static final JsonMapper JSON = JsonMapper.builder().addModule(JsonInputRules.module()).build();

    record Named(String name) {}

    @Test
    void aRootArrayWithWrongValuesAfterAGoodOneIsRefused() { // was read as ["a", "", ""]
        assertThatThrownBy(() -> JSON.readValue("[\"a\", 1, true]", String[].class)).isInstanceOf(WrongValues.class);
    }

    @Test
    void eachValueOfAStreamIsItsOwnBody() throws Exception {
        try (MappingIterator<Named> it = JSON.readerFor(Named.class).readValues("{\"name\":\"a\"} {\"name\":1}")) {
            assertThat(it.next().name()).isEqualTo("a");
            // was read as a Named whose name is ""
            assertThatThrownBy(it::next).isInstanceOf(WrongValues.class);
        }
    }
}
