package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
    private static final JsonMapper JSON = JsonInputRules.apply(JsonMapper.builder()).build();

    record Named(String name) {}

    record Args(List<String> args, List<Named> names) {}

    @Test
    void aRootArrayWithWrongValuesAfterAGoodOneIsRefused() { // was read as ["a", "", ""]
        assertThatThrownBy(() -> JSON.readValue("[\"a\", 1, true]", String[].class)).isInstanceOf(WrongValues.class);
    }

    /** The array refused its null itself and was read no further: {@code [null, 1]} named {@code [0]} only. */
    @Test
    void everyWrongElementOfAnArrayIsNamedThoseAfterANullToo() {
        assertThatThrownBy(() -> JSON.readValue("{\"args\": [null, 1, \"ok\", null, true], \"names\": [null, {\"name\": 2}]}",
                Args.class)).isInstanceOfSatisfying(WrongValues.class, wrong -> assertThat(wrong.named())
                        .extracting(e -> e.field() + ": " + e.message()).containsExactly(
                                "args[0]: must not be null",
                                "args[1]: " + JsonInputRules.QUOTE_IT,
                                "args[3]: must not be null",
                                "args[4]: " + JsonInputRules.QUOTE_IT,
                                "names[0]: must not be null",
                                "names[1].name: " + JsonInputRules.QUOTE_IT));
    }

    @Test
    void aNullOutsideAnArrayIsReadAsBefore() throws Exception {
        assertThat(JSON.readValue("{\"args\": null, \"names\": [{\"name\": null}]}", Args.class))
                .isEqualTo(new Args(null, List.of(new Named(null))));
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
