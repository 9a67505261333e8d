package dev.nanolet.ui.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.ui.platform.WriteCondition;
import org.junit.jupiter.api.Test;

/** The numbers are those of the outcomes' order: when a save was sent, when a refusal was recorded. */
class RefusedSavesTest {
    private static final WriteCondition AT_1 = WriteCondition.at("rv-1");
    private static final WriteCondition AT_2 = WriteCondition.at("rv-2");

    /**
     * Two tabs save secret a from the same page (version rv-1) at once (sent as 1 and 2): platform-api takes one and refuses
     * the other, whichever answer is recorded last. The refused tab's page keeps saying so.
     */
    @Test
    void aSuccessSentFromTheVersionARefusalWasSentFromLeavesItSaidWhicheverIsRecordedLast() {
        assertThat(RefusedSaves.NONE.refused("shop", "a", AT_1, 3).saved("shop", "a", AT_1, 1).has("shop", "a"))
                .as("the success recorded last").isTrue();
        assertThat(RefusedSaves.NONE.saved("shop", "a", AT_1, 1).refused("shop", "a", AT_1, 3).has("shop", "a"))
                .as("the refusal recorded last").isTrue();
        assertThat(RefusedSaves.NONE.refused("shop", "a", WriteCondition.ABSENT, 3).saved("shop", "a", WriteCondition.ABSENT, 1).has("shop", "a"))
                .as("two creates").isTrue();
    }

    /**
     * A create refused because someone had made the secret; once it was deleted, this session creates it: the same
     * condition, but sent after the refusal was recorded, so platform-api took it after. The refusal is over.
     */
    @Test
    void aSuccessSentAfterTheRefusalWasRecordedEndsItWhateverItWasSentWith() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", WriteCondition.ABSENT, 2);

        assertThat(refused.saved("shop", "a", WriteCondition.ABSENT, 3).has("shop", "a")).isFalse();
    }

    @Test
    void aSuccessOrDeleteSentFromAnotherVersionEndsTheRefusal() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", AT_1, 3);

        assertThat(refused.saved("shop", "a", AT_2, 1).has("shop", "a")).as("saved again from the conflict page").isFalse();
        assertThat(RefusedSaves.NONE.refused("shop", "a", WriteCondition.ABSENT, 3).saved("shop", "a", AT_2, 1).has("shop", "a"))
                .as("a refused create, then a replace").isFalse();
        assertThat(refused.saved("shop", "a", WriteCondition.NONE, 1).has("shop", "a")).as("a delete without a version").isFalse();
        assertThat(refused.saved("shop", "a", AT_2, 1).refusals()).isEmpty();
    }

    @Test
    void aSaveOfAnotherSecretLeavesTheRefusalAndTheLatestAreKept() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", AT_1, 1);

        assertThat(refused.saved("shop", "c", AT_2, 2).has("shop", "a")).isTrue();
        assertThat(refused.saved("ci", "a", AT_2, 2).has("shop", "a")).as("a secret of the same name elsewhere").isTrue();
        for (int i = 0; i < RefusedSaves.KEPT; i++) {
            refused = refused.refused("shop", "s" + i, AT_1, 2 + i);
        }
        assertThat(refused.refusals()).hasSize(RefusedSaves.KEPT);
        assertThat(refused.has("shop", "a")).as("the oldest forgotten").isFalse();
        assertThat(refused.has("shop", "s0")).isTrue();
        assertThat(refused.refused("shop", "s0", AT_2, 100).refusals().getLast().sentWith()).as("refused again, the newest").isEqualTo(AT_2);
    }
}
