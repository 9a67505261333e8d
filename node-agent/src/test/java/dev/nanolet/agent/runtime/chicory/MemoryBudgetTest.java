package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node's memory for guests: one budget, an equal part always left for one more deployment, everything given back. */
class MemoryBudgetTest {

    static final long MIB = 1 << 20;

    @Test
    void aDeploymentAloneHoldsAtMostHalf() {
        var budget = new MemoryBudget(100 * MIB);
        try (var a1 = budget.open("a"); var a2 = budget.open("a")) {
            assertThat(a1.take(30 * MIB)).isTrue();
            assertThat(a2.take(20 * MIB)).isTrue();

            assertThat(a2.take(MIB)).isFalse();
            assertThat(a2.refusal()).isEqualTo("this deployment's runs on the node would hold 51 MiB of linear memory, more than half"
                    + " of its 100 MiB for guests");
            assertThat(a2.refusalLasts()).as("a's other run holds the rest").isFalse();

            a1.close();
            assertThat(a2.take(30 * MIB)).as("what a's other run gave back").isTrue();
            assertThat(budget.used()).isEqualTo(50 * MIB);
        }
        assertThat(budget.used()).isZero();
        assertThat(budget.tenants()).isZero();
    }

    @Test
    void everyChargeLeavesAnEqualPartFreeForOneMore() {
        var budget = new MemoryBudget(120 * MIB);
        try (var a = budget.open("a"); var b = budget.open("b"); var c = budget.open("c"); var d = budget.open("d")) {
            assertThat(a.take(60 * MIB)).isTrue();
            // b makes two: a third (40 MiB) stays free
            assertThat(b.take(20 * MIB)).isTrue();
            assertThat(b.take(MIB)).isFalse();
            assertThat(b.refusal()).isEqualTo("the runs of 2 deployments on the node would hold 81 MiB of its 120 MiB for linear memory,"
                    + " and 40 MiB stay free for one more");
            // and whoever comes next finds room: a quarter (30 MiB), then a fifth (24 MiB) stay free
            assertThat(c.take(10 * MIB)).isTrue();
            assertThat(c.take(MIB)).isFalse();
            assertThat(d.take(6 * MIB)).isTrue();
            assertThat(budget.tenants()).isEqualTo(4);

            a.close();
            assertThat(b.take(40 * MIB)).as("what a gave back: b may now hold half").isTrue();
            assertThat(budget.used()).isEqualTo(76 * MIB);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void noDeploymentHoldsMoreThanHalfHoweverManyHoldLittle() {
        var budget = new MemoryBudget(120 * MIB);
        List<MemoryBudget.Account> small = smallOnes(budget, 3);
        try (var h1 = budget.open("h"); var h2 = budget.open("h"); var next = budget.open("next")) {
            assertThat(h1.take(60 * MIB)).isTrue();
            assertThat(h2.take(33 * MIB)).as("a fifth would still be free, but h would hold more than half").isFalse();
            assertThat(h2.refusal()).isEqualTo("this deployment's runs on the node would hold 93 MiB of linear memory, more than half"
                    + " of its 120 MiB for guests");
            small.forEach(MemoryBudget.Account::close);
            assertThat(next.take(MIB)).as("once the small ones end, a newcomer finds room beside h's half").isTrue();
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void aRefusalThatWouldClearAfterOneThatWouldNotIsReportedAsSuch() {
        var budget = new MemoryBudget(20 * MIB);
        try (var other = budget.open("other"); var a = budget.open("a")) {
            assertThat(other.take(10 * MIB)).isTrue();
            assertThat(a.take(11 * MIB)).isFalse();
            assertThat(a.refusalLasts()).isTrue();

            assertThat(a.take(4 * MIB)).as("a third of 20 MiB stays free for one more").isFalse();
            assertThat(a.refusalLasts()).isFalse();
            assertThat(a.refusal()).startsWith("the runs of 2 deployments on the node would hold 14 MiB");
        }
    }

    @Test
    void aLargeNeedIsMetWhileTheNodesMemoryIsMostlyFree() {
        var budget = new MemoryBudget(200 * MIB);
        List<MemoryBudget.Account> small = smallOnes(budget, 4);
        try (var big = budget.open("big")) {
            assertThat(big.take(90 * MIB)).as("a sixth (33 MiB) still stays free").isTrue();
        }
        small.forEach(MemoryBudget.Account::close);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aRunThatAloneWouldHoldMoreThanHalfIsRefusedForGoodAndHoldsOnlyWhatItHad() {
        var budget = new MemoryBudget(20 * MIB);
        try (var a = budget.open("a")) {
            assertThat(a.take(6 * MIB)).isTrue();
            assertThat(a.take(5 * MIB)).isFalse();
            assertThat(a.refusal()).isEqualTo("this run alone would hold more than the 10 MiB of linear memory one deployment may hold"
                    + " on this node (half of its 20 MiB for guests)");
            assertThat(a.refusalLasts()).isTrue();
            assertThat(budget.used()).isEqualTo(6 * MIB);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void closingTwiceGivesBackOnce() {
        var budget = new MemoryBudget(10 * MIB);
        var a = budget.open("a");
        var b = budget.open("b");
        assertThat(a.take(4 * MIB)).isTrue();
        assertThat(b.take(2 * MIB)).isTrue();

        a.close();
        a.close();

        assertThat(budget.used()).isEqualTo(2 * MIB);
        b.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void takingNothingIsNoHolding() {
        var budget = new MemoryBudget(10 * MIB);
        try (var a = budget.open("a"); var b = budget.open("b")) {
            assertThat(a.take(0)).isTrue();
            assertThat(budget.tenants()).as("a memory of no pages holds nothing to give back").isZero();
            assertThat(b.take(5 * MIB)).as("b alone, half").isTrue();
            assertThat(budget.tenants()).isOne();
        }
        assertThat(budget.used()).isZero();
        assertThat(budget.tenants()).isZero();
    }

    /** {@code count} deployments holding 1 MiB each. */
    private static List<MemoryBudget.Account> smallOnes(MemoryBudget budget, int count) {
        List<MemoryBudget.Account> small = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var s = budget.open("small-" + i);
            assertThat(s.take(MIB)).isTrue();
            small.add(s);
        }
        return small;
    }

    @Test
    void aBudgetNeedsACapacity() {
        assertThatThrownBy(() -> new MemoryBudget(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
