package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

    enum Policy { Never, OnFailure }

    record Elements(List<List<String>> lists, List<Policy> policies, List<Map<String, Integer>> maps) {}

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

    /**
     * What follows a null is read by each element type's own rules, none bypassed: a NUL, a number where a string belongs,
     * an enum's number, a nested list's own null, a map's value. Seen failing before: each array named its {@code [0]} only.
     */
    @Test
    void theElementsAfterANullAreReadByTheirTypesRules() {
        assertThatThrownBy(() -> JSON.readValue("{\"args\": [null, \"a\\u0000b\"], \"names\": [null, {\"name\": \"x\\u0000\"}]}",
                Args.class)).isInstanceOfSatisfying(WrongValues.class, wrong -> assertThat(wrong.named())
                        .extracting(e -> e.field() + ": " + e.message()).containsExactly(
                                "args[0]: must not be null",
                                "args[1]: " + JsonInputRules.NUL,
                                "names[0]: must not be null",
                                "names[1].name: " + JsonInputRules.NUL));
        assertThatThrownBy(() -> JSON.readValue("{\"lists\": [null, [null, 1], null], \"policies\": [null, 1, \"Never\"],"
                + " \"maps\": [null, {\"a\": \"x\"}]}", Elements.class))
                .isInstanceOfSatisfying(WrongValues.class, wrong -> assertThat(wrong.named())
                        .extracting(e -> e.field() + ": " + e.message()).containsExactly(
                                "lists[0]: must not be null",
                                "lists[1][0]: must not be null",
                                "lists[1][1]: " + JsonInputRules.QUOTE_IT,
                                "lists[2]: must not be null",
                                "policies[0]: must not be null",
                                "policies[1]: must be one of Never, OnFailure",
                                "maps[0]: must not be null",
                                "maps[1].a: must be a whole number"));
    }

    /** A hostile array of nulls is read no further than any other body: 1,000 counted, 20 named. Seen failing before: one counted. */
    @Test
    void anArrayOfAHundredThousandNullsStopsAtTheCount() {
        String nulls = IntStream.range(0, 100_000).mapToObj(i -> "null").collect(Collectors.joining(",", "[", "]"));
        assertThatThrownBy(() -> JSON.readValue("{\"args\": " + nulls + "}", Args.class))
                .isInstanceOfSatisfying(WrongValues.class, wrong -> {
                    assertThat(wrong.countStopped()).isTrue();
                    assertThat(wrong.named()).hasSize(WrongValues.NAMED).last().extracting(e -> e.field()).isEqualTo("args[19]");
                    assertThat(wrong.more()).isEqualTo(WrongValues.COUNTED - WrongValues.NAMED);
                });
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
