package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The node's memory for guests: one budget, a share per tenant, everything given back when a run ends. */
class MemoryBudgetTest {

    static final long MIB = 1 << 20;

    @Test
    void aTenantTakesAtMostItsShareWhateverIsFree() {
        var budget = new MemoryBudget(100 * MIB, 0.4);
        try (var a1 = budget.open("a"); var a2 = budget.open("a"); var b = budget.open("b")) {
            assertThat(a1.take(30 * MIB)).isTrue();
            assertThat(a2.take(10 * MIB)).isTrue();
            assertThat(a2.take(1)).as("a holds its 40 %, though 60 MiB are free").isFalse();
            assertThat(a2.refusal()).isEqualTo("this deployment's runs on the node already hold 40 MiB of linear memory, and one deployment may hold 40 MiB");
            assertThat(a2.refusalLasts()).as("a's other run holds the rest of a's share").isFalse();

            assertThat(b.take(10 * MIB)).isTrue();
            a1.close();
            assertThat(a2.take(30 * MIB)).as("what a's other run gave back").isTrue();
            assertThat(budget.used()).isEqualTo(50 * MIB);
        }
        assertThat(budget.used()).isZero();
        assertThat(budget.tenants()).isZero();
    }

    @Test
    void aTenantAboveAnEqualPartMustLeaveOneFreeForTheNext() {
        var budget = new MemoryBudget(90 * MIB, 1.0);
        try (var a = budget.open("a"); var b = budget.open("b"); var c = budget.open("c")) {
            assertThat(a.take(45 * MIB)).as("alone, an equal part is half").isTrue();
            assertThat(a.take(1)).isFalse();
            assertThat(a.refusal()).isEqualTo("the runs on the node already hold 45 MiB of its 90 MiB for linear memory, and the last 45 MiB"
                    + " are kept for deployments that hold less than this one's 45 MiB");
            assertThat(a.refusalLasts()).isFalse();

            assertThat(b.take(30 * MIB)).as("a newcomer takes up to a third").isTrue();
            assertThat(b.take(1)).isFalse();
            assertThat(c.take(15 * MIB)).as("and the next finds what is left").isTrue();
            assertThat(c.take(1)).isFalse();
            assertThat(c.refusal()).startsWith("the runs on the node already hold 90 MiB of its 90 MiB for linear memory");
        }
    }

    @Test
    void aLargeNeedIsMetWhileTheNodesMemoryIsMostlyFree() {
        var budget = new MemoryBudget(100 * MIB, 1.0);
        var small = new java.util.ArrayList<MemoryBudget.Account>();
        for (int i = 0; i < 4; i++) {
            var s = budget.open("small-" + i);
            assertThat(s.take(MIB)).isTrue();
            small.add(s);
        }
        try (var big = budget.open("big")) {
            // an equal part of five is 16.7 MiB; 60 MiB more still leave 36 MiB free
            assertThat(big.take(60 * MIB)).isTrue();
            assertThat(big.take(20 * MIB)).as("would leave 16 MiB, less than an equal part").isFalse();
        }
        small.forEach(MemoryBudget.Account::close);
        assertThat(budget.used()).isZero();
    }

    @Test
    void closingTwiceGivesBackOnce() {
        var budget = new MemoryBudget(10 * MIB, 1.0);
        var a = budget.open("a");
        var b = budget.open("b");
        a.take(4 * MIB);
        b.take(3 * MIB);

        a.close();
        a.close();

        assertThat(budget.used()).isEqualTo(3 * MIB);
        b.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aRunThatAloneWouldHoldMoreThanAShareIsRefusedForGoodAndHoldsNothing() {
        var budget = new MemoryBudget(20 * MIB, 0.5);
        try (var a = budget.open("a")) {
            assertThat(a.take(6 * MIB)).isTrue();
            assertThat(a.take(5 * MIB)).isFalse();
            assertThat(a.refusal()).isEqualTo("this run alone would hold more than the 10 MiB of linear memory one deployment may hold on this node");
            assertThat(a.refusalLasts()).isTrue();
            assertThat(budget.used()).isEqualTo(6 * MIB);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void takingNothingIsNoHolding() {
        var budget = new MemoryBudget(10 * MIB, 0.5);
        try (var a = budget.open("a"); var b = budget.open("b")) {
            assertThat(a.take(0)).isTrue();
            assertThat(budget.tenants()).as("a memory of no pages holds nothing to give back").isZero();
            assertThat(b.take(5 * MIB)).isTrue();
            assertThat(budget.tenants()).isOne();
        }
        assertThat(budget.used()).isZero();
        assertThat(budget.tenants()).isZero();
    }

    @Test
    void aBudgetNeedsACapacityAndAShareThatMakeSense() {
        assertThatThrownBy(() -> new MemoryBudget(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryBudget(MIB, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryBudget(MIB, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryBudget(MIB, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
