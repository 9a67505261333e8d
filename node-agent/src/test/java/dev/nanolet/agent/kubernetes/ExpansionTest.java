package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes' rules for {@code $(VAR)}, one by one, as its own expansion tests state them. */
class ExpansionTest {

    private static final Map<String, String> VARS = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_REF", "$(VAR_A)", "EMPTY", "",
            "a(b", "odd");

    private static String expand(String input) {
        return new Expansion().expand("args", input, VARS);
    }

    @Test
    void aReferenceToADefinedNameIsItsValueWhereverItStands() {
        assertThat(expand("$(VAR_A)")).isEqualTo("A");
        assertThat(expand("___$(VAR_B)___")).isEqualTo("___B___");
        assertThat(expand("$(VAR_A)-$(VAR_B)$(VAR_A)")).isEqualTo("A-BA");
        assertThat(expand("x$(EMPTY)y")).isEqualTo("xy");
    }

    @Test
    void aReferenceToAnUndefinedNameStaysAsWritten() {
        assertThat(expand("$(VAR_C)")).isEqualTo("$(VAR_C)");
        assertThat(expand("$()")).isEqualTo("$()");
        assertThat(expand("$(VAR_A)$(VAR_C)")).isEqualTo("A$(VAR_C)");
    }

    @Test
    void theNameIsEverythingUpToTheFirstClosingParenthesis() {
        assertThat(expand("$(a(b)")).isEqualTo("odd");
        assertThat(expand("$(VAR_A))")).isEqualTo("A)");
        assertThat(expand("$($(VAR_A))")).isEqualTo("$($(VAR_A))"); // the name is "$(VAR_A", which is undefined
    }

    @Test
    void aDoubledOperatorIsOneAndEscapesAReference() {
        assertThat(expand("$$(VAR_A)")).isEqualTo("$(VAR_A)");
        assertThat(expand("$$$(VAR_A)")).isEqualTo("$A");
        assertThat(expand("$$$$(VAR_A)")).isEqualTo("$$(VAR_A)");
        assertThat(expand("$$")).isEqualTo("$");
        assertThat(expand("a$$b")).isEqualTo("a$b");
    }

    @Test
    void anOperatorThatBeginsNoReferenceStaysAsWritten() {
        assertThat(expand("$")).isEqualTo("$");
        assertThat(expand("a$")).isEqualTo("a$");
        assertThat(expand("$VAR_A")).isEqualTo("$VAR_A");
        assertThat(expand("$(VAR_A")).isEqualTo("$(VAR_A");
        assertThat(expand("$(")).isEqualTo("$(");
        assertThat(expand("$($(VAR_A)")).isEqualTo("$($(VAR_A)"); // the name is "$(VAR_A"
        assertThat(expand("$((VAR_A)")).isEqualTo("$((VAR_A)");
        assertThat(expand("$\uD83D\uDE00$(VAR_B)")).isEqualTo("$\uD83D\uDE00B");
    }

    @Test
    void aValueIsExpandedOnceNotWhatItBringsIn() {
        assertThat(expand("$(VAR_REF)")).isEqualTo("$(VAR_A)");
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
}
