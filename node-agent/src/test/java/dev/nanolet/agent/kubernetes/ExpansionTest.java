package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes' rules for {@code $(VAR)}, one by one, as its own expansion tests state them. */
class ExpansionTest {

    private static final Map<String, String> VARS = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_REF", "$(VAR_A)", "EMPTY", "",
            "a(b", "odd");

    /** Each input (even places) expands to the output after it. */
    private static void expands(String... inputThenOutput) {
        for (int i = 0; i < inputThenOutput.length; i += 2) {
            assertThat(new Expansion().expand("args", inputThenOutput[i], VARS)).as(inputThenOutput[i]).isEqualTo(inputThenOutput[i + 1]);
        }
    }

    @Test
    void aReferenceToADefinedNameIsItsValueWhereverItStands() {
        expands(
                "$(VAR_A)", "A",
                "___$(VAR_B)___", "___B___",
                "$(VAR_A)-$(VAR_B)$(VAR_A)", "A-BA",
                "x$(EMPTY)y", "xy");
    }

    @Test
    void aReferenceToAnUndefinedNameStaysAsWritten() {
        expands(
                "$(VAR_C)", "$(VAR_C)",
                "$()", "$()",
                "$(VAR_A)$(VAR_C)", "A$(VAR_C)");
    }

    @Test
    void theNameIsEverythingUpToTheFirstClosingParenthesis() {
        expands(
                "$(a(b)", "odd",
                "$(VAR_A))", "A)",
                "$($(VAR_A))", "$($(VAR_A))"); // the name is "$(VAR_A", which is undefined
    }

    @Test
    void aDoubledOperatorIsOneAndEscapesAReference() {
        expands(
                "$$(VAR_A)", "$(VAR_A)",
                "$$$(VAR_A)", "$A",
                "$$$$(VAR_A)", "$$(VAR_A)",
                "$$", "$",
                "a$$b", "a$b");
    }

    @Test
    void anOperatorThatBeginsNoReferenceStaysAsWritten() {
        expands(
                "$", "$",
                "a$", "a$",
                "$VAR_A", "$VAR_A",
                "$(VAR_A", "$(VAR_A",
                "$(", "$(",
                "$($(VAR_A)", "$($(VAR_A)", // the name is "$(VAR_A"
                "$((VAR_A)", "$((VAR_A)",
                "$\uD83D\uDE00$(VAR_B)", "$\uD83D\uDE00B");
    }

    @Test
    void aValueIsExpandedOnceNotWhatItBringsIn() {
        expands("$(VAR_REF)", "$(VAR_A)");
    }

    @Test
    void referencesMayAddUpToTheBoundOverAllTheValuesOfAContainer() {
        String half = "x".repeat(Expansion.MAX_GROWTH / 2);
        Map<String, String> vars = Map.of("HALF", half);
        Expansion e = new Expansion();
        assertThat(e.expand("env A", "$(HALF)", vars)).hasSize(half.length());
        assertThat(e.expand("env B", "$(HALF)$$(HALF)$(UNDEFINED)", vars)).hasSize(half.length() + "$(HALF)$(UNDEFINED)".length());
        assertThatThrownBy(() -> e.expand("args", "$(HALF)", vars)).isInstanceOf(Expansion.TooLong.class)
                .hasMessage("args: its $(VAR) references expand the container's command, args and env by more than 1048576"
                        + " characters (1 MiB), the most a Wasm node expands");
    }

    /**
     * A value of half a million {@code $(} that no {@code )} closes (1 MiB, as a pod may hold) stays as written in linear
     * time: each {@code $(} looked for its {@code )} to the end of the value again, 10^11 steps of the node's worker.
     */
    @Test
    void manyUnclosedReferencesAreReadOnce() {
        String unclosed = "$(".repeat(1 << 19);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> new Expansion().expand("args", unclosed, VARS)))
                .isEqualTo(unclosed);
        String thenClosed = "$(".repeat(1 << 19) + "VAR_A)";
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> new Expansion().expand("args", thenClosed, VARS)))
                .isEqualTo(thenClosed); // the one name is all of it after the first $(, undefined
        String escaped = "$$".repeat(1 << 19) + "$(VAR_A)";
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> new Expansion().expand("args", escaped, VARS)))
                .isEqualTo("$".repeat(1 << 19) + "A");
    }
}
