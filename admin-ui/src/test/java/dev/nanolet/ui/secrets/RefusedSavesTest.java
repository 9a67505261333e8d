package dev.nanolet.ui.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.ui.platform.WriteCondition;
import org.junit.jupiter.api.Test;

/**
 * The numbers are those of the outcomes' order: when a save was sent, when a refusal was recorded. A refusal names the
 * version it met (the 412's {@code resourceVersion}).
 */
class RefusedSavesTest {
    private static final WriteCondition AT_1 = WriteCondition.at("rv-1");
    private static final WriteCondition AT_2 = WriteCondition.at("rv-2");
    private static final WriteCondition AT_3 = WriteCondition.at("rv-3");

    /**
     * Two tabs save secret a from the same page (version rv-1) at once (sent as 1 and 2): platform-api takes one (making
     * rv-2) and refuses the other, whichever answer is recorded last. The refused tab's page keeps saying so.
     */
    @Test
    void aSuccessSentFromTheVersionARefusalWasSentFromLeavesItSaidWhicheverIsRecordedLast() {
        assertThat(RefusedSaves.NONE.refused("shop", "a", "rv-2", 3).saved("shop", "a", AT_1, 1, "rv-2").has("shop", "a"))
                .as("the success recorded last").isTrue();
        assertThat(RefusedSaves.NONE.saved("shop", "a", AT_1, 1, "rv-2").refused("shop", "a", "rv-2", 3).has("shop", "a"))
                .as("the refusal recorded last").isTrue();
        assertThat(RefusedSaves.NONE.refused("shop", "a", "rv-1", 3).saved("shop", "a", WriteCondition.ABSENT, 1, "rv-1").has("shop", "a"))
                .as("two creates").isTrue();
    }

    /**
     * Three writes: a tab saves from rv-1 (making rv-2), a third tab from rv-2 (making rv-3), and this tab's save from rv-1
     * is refused having met rv-3; the two successes, both sent before the refusal was recorded, are recorded after it. Both
     * came first, and the refusal stays said. Seen failing before the refusal kept the version it met: the success sent
     * from rv-2, another version than the refused save's, ended it.
     */
    @Test
    void aSuccessSentFromAnotherVersionWhileTheRefusalWasUnansweredLeavesItSaid() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", "rv-3", 4);

        assertThat(refused.saved("shop", "a", AT_2, 2, "rv-3").has("shop", "a")).as("the third tab's success").isTrue();
        assertThat(refused.saved("shop", "a", AT_1, 1, "rv-2").saved("shop", "a", AT_2, 2, "rv-3").has("shop", "a")).as("both").isTrue();
        assertThat(refused.saved("shop", "a", WriteCondition.NONE, 2, "rv-3").has("shop", "a")).as("a write without a version").isTrue();
    }

    /**
     * A create refused because someone had made the secret; once it was deleted, this session creates it: the same
     * condition, but sent after the refusal was recorded, so platform-api took it after. The refusal is over.
     */
    @Test
    void aSuccessSentAfterTheRefusalWasRecordedEndsItWhateverItWasSentWith() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", "rv-1", 2);

        assertThat(refused.saved("shop", "a", WriteCondition.ABSENT, 3, "rv-5").has("shop", "a")).isFalse();
        assertThat(refused.saved("shop", "a", WriteCondition.NONE, 3, null).has("shop", "a")).as("a delete without a version").isFalse();
    }

    /** A write sent from the very version the refused save met, and that changed it, was taken after it, whenever it was sent. */
    @Test
    void aSuccessOrDeleteSentFromTheVersionTheRefusalMetEndsIt() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", "rv-3", 4);

        assertThat(refused.saved("shop", "a", AT_3, 1, "rv-4").has("shop", "a")).as("saved again from the conflict page").isFalse();
        assertThat(refused.saved("shop", "a", AT_3, 1, "rv-4").refusals()).isEmpty();
        assertThat(refused.saved("shop", "a", AT_3, 1, null).has("shop", "a")).as("deleted from it").isFalse();
        assertThat(RefusedSaves.NONE.refused("shop", "a", null, 4).saved("shop", "a", WriteCondition.ABSENT, 1, "rv-5").has("shop", "a"))
                .as("a refused replace of a secret deleted meanwhile, then a create").isFalse();
    }

    /**
     * A save of the data the secret already holds keeps its version (platform-api: an identical write changes nothing): one
     * sent from rv-3, the version the refusal met, may have been taken before the refusal and still left rv-3 for it to
     * meet, so it does not end it. Seen failing while any success sent from that version ended the refusal.
     */
    @Test
    void aSaveThatLeftTheVersionTheRefusalMetLeavesItSaid() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", "rv-3", 4);

        assertThat(refused.saved("shop", "a", AT_3, 1, "rv-3").has("shop", "a")).isTrue();
        assertThat(refused.saved("shop", "a", AT_3, 5, "rv-3").has("shop", "a")).as("sent after the refusal was recorded").isFalse();
    }

    @Test
    void aSaveOfAnotherSecretLeavesTheRefusalAndTheLatestAreKept() {
        RefusedSaves refused = RefusedSaves.NONE.refused("shop", "a", "rv-2", 1);

        assertThat(refused.saved("shop", "c", AT_2, 2, "rv-3").has("shop", "a")).isTrue();
        assertThat(refused.saved("ci", "a", AT_2, 2, "rv-3").has("shop", "a")).as("a secret of the same name elsewhere").isTrue();
        for (int i = 0; i < RefusedSaves.KEPT; i++) {
            refused = refused.refused("shop", "s" + i, "rv-2", 2 + i);
        }
        assertThat(refused.refusals()).hasSize(RefusedSaves.KEPT);
        assertThat(refused.has("shop", "a")).as("the oldest forgotten").isFalse();
        assertThat(refused.has("shop", "s0")).isTrue();
        assertThat(refused.refused("shop", "s0", "rv-9", 100).refusals().getLast().met()).as("refused again, the newest").isEqualTo("rv-9");
    }
}
