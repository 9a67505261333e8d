package dev.nanolet.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A charge given back because the host refused its bytes lowers the count only while the count still holds it: once
 * a check whose walk began after the charge has set the count from the disk (which never had those bytes), giving it
 * back again would count less than the volumes hold.
 */
class DiskQuotaRefundTest {

    private final DiskQuota quota = new DiskQuota(1 << 20);

    @Test
    void aRefundAfterACheckThatNoLongerCountsTheChargeLeavesTheCheck() {
        long ticket = quota.take(100_000);
        long mark = quota.mark();
        quota.measured(50_000, mark);

        quota.refund(100_000, ticket);

        assertThat(quota.used()).isEqualTo(50_000);
    }

    @Test
    void aRefundOfAChargeTheCountStillHoldsGivesItBack() {
        long mark = quota.mark();
        long ticket = quota.take(100_000);
        quota.measured(50_000, mark);
        assertThat(quota.used()).isEqualTo(150_000);

        quota.refund(100_000, ticket);

        assertThat(quota.used()).isEqualTo(50_000);
    }

    @Test
    void aRefundBeforeAnyCheckGivesItBackAndARefusedTakeTakesNothing() {
        long ticket = quota.take(100_000);
        assertThat(quota.take(1 << 20)).isNegative();

        quota.refund(100_000, ticket);

        assertThat(quota.used()).isZero();
    }
}
