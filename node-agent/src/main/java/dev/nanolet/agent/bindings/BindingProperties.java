package dev.nanolet.agent.bindings;

import dev.nanolet.wire.Setting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Caps and pools of the {@code nanolet} host API's bindings ({@code nanolet.bindings.*}; docs/bindings.md). Each cap and the
 * pool size must be above 0 (one of nothing refused every query, value or listing): another is refused at start, naming it.
 *
 * @param maxRows rows one query may return; more is an error ({@code NANOLET_BINDING_MAX_ROWS})
 * @param maxResultBytes bytes of one query's JSON result or one kv key listing ({@code NANOLET_BINDING_MAX_RESULT_BYTES})
 * @param maxRequestBytes bytes of one statement request (SQL and parameters)
 * @param maxKeyBytes bytes of one kv key
 * @param maxValueBytes bytes of one kv value ({@code NANOLET_BINDING_MAX_VALUE_BYTES})
 * @param maxKeys keys one {@code kv_keys} call may list
 * @param maxPoolSize connections one binding's pool may hold on this node, whatever the deployment's
 *     {@code maxConcurrency} ({@code NANOLET_BINDING_MAX_POOL_SIZE})
 * @param connectTimeout how long a request waits for a connection, and a connection for the database
 *     ({@code NANOLET_BINDING_CONNECT_TIMEOUT})
 * @param terminateAfter how long past the run's deadline a statement, commit or rollback may go on despite its
 *     cancels before its server process is ended; below {@code silentServerGrace}, so that a server that answers
 *     is never left working on a connection the node gave up on; unset (null): half the silent-server grace
 * @param silentServerGrace how long past the run's deadline one read from the database may wait: below the guest
 *     pool's overrun grace ({@code nanolet.runtime.overrun-grace}), so that a run blocked on a silent server ends in
 *     time and gives its connection back, and at least 1 ms (a read timeout is whole milliseconds, 0 none); unset (null):
 *     half the overrun grace. Both nulls are filled in by {@link #within}
 */
@ConfigurationProperties("nanolet.bindings")
public record BindingProperties(
        @DefaultValue("10000") int maxRows,
        @DefaultValue("4MB") DataSize maxResultBytes,
        @DefaultValue("1MB") DataSize maxRequestBytes,
        @DefaultValue("1KB") DataSize maxKeyBytes,
        @DefaultValue("1MB") DataSize maxValueBytes,
        @DefaultValue("10000") int maxKeys,
        @DefaultValue("16") int maxPoolSize,
        @DefaultValue("5s") Duration connectTimeout,
        Duration terminateAfter,
        Duration silentServerGrace) {

    public BindingProperties {
        Setting.of("nanolet.bindings.max-rows", "NANOLET_BINDING_MAX_ROWS").atLeast(1, maxRows);
        Setting.of("nanolet.bindings.max-result-bytes", "NANOLET_BINDING_MAX_RESULT_BYTES").bytesAtLeast(1, maxResultBytes.toBytes());
        Setting.of("nanolet.bindings.max-request-bytes").bytesAtLeast(1, maxRequestBytes.toBytes());
        Setting.of("nanolet.bindings.max-key-bytes").bytesAtLeast(1, maxKeyBytes.toBytes());
        Setting.of("nanolet.bindings.max-value-bytes", "NANOLET_BINDING_MAX_VALUE_BYTES").bytesAtLeast(1, maxValueBytes.toBytes());
        Setting.of("nanolet.bindings.max-keys").atLeast(1, maxKeys);
        Setting.of("nanolet.bindings.max-pool-size", "NANOLET_BINDING_MAX_POOL_SIZE").atLeast(1, maxPoolSize);
        if (terminateAfter != null) {
            Setting.of("nanolet.bindings.terminate-after").atLeast(Duration.ZERO, terminateAfter);
        }
        if (terminateAfter != null && silentServerGrace != null && terminateAfter.compareTo(silentServerGrace) >= 0) {
            throw new IllegalArgumentException("nanolet.bindings.terminate-after (" + terminateAfter + ") must be below "
                    + "silent-server-grace (" + silentServerGrace + "), or a process could be ended after its run gave up on the connection");
        }
        // a read's timeout is an int of milliseconds (Connection.setNetworkTimeout); centuries were taken and
        // overflowed the nanoseconds of Transaction's rounds (an ArithmeticException mid-round)
        if (silentServerGrace != null && silentServerGrace.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("nanolet.bindings.silent-server-grace must be at most " + Integer.MAX_VALUE
                    + "ms (24 days), a read timeout's limit");
        }
    }

    /**
     * These settings on a node whose guest pool writes a run's thread off {@code overrunGrace} past its deadline
     * ({@code nanolet.runtime.overrun-grace}): an unset silent-server grace is half of it, an unset terminate-after half
     * the silent-server grace. A silent-server grace not below the overrun grace is refused: the pool would write off the
     * thread of a run blocked on a silent server before its read fails, and the run would keep its connection. A node
     * whose operator lowers only the overrun grace gets both delays lowered with it.
     */
    public BindingProperties within(Duration overrunGrace) {
        Duration silent = silentServerGrace != null ? silentServerGrace : overrunGrace.dividedBy(2);
        // a read's timeout is whole milliseconds and 0 is none (Transaction#boundReads): below 1 ms, a rollback past the
        // deadline waited on a silent server for ever
        if (silent.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("nanolet.bindings.silent-server-grace (" + silent + ") must be at least 1ms, "
                    + "or a read from a silent database past a run's deadline waits for ever" + (silentServerGrace != null ? ""
                    : "; unset, it is half of nanolet.runtime.overrun-grace (NANOLET_GUEST_OVERRUN_GRACE, " + overrunGrace
                    + "): set that to 2ms or more"));
        }
        if (silent.compareTo(overrunGrace) >= 0) {
            throw new IllegalArgumentException("nanolet.bindings.silent-server-grace (" + silent + ") must be below "
                    + "nanolet.runtime.overrun-grace (NANOLET_GUEST_OVERRUN_GRACE, " + overrunGrace + "), or the guest pool writes off "
                    + "the thread of a run blocked on a silent database before its read fails; leave it unset for half the overrun grace");
        }
        return new BindingProperties(maxRows, maxResultBytes, maxRequestBytes, maxKeyBytes, maxValueBytes, maxKeys, maxPoolSize,
                connectTimeout, terminateAfter != null ? terminateAfter : silent.dividedBy(2), silent);
    }

    /** The defaults above within the default overrun grace (2 s), for tests and the local runner. */
    public static final BindingProperties DEFAULTS = new BindingProperties(10_000, DataSize.ofMegabytes(4),
            DataSize.ofMegabytes(1), DataSize.ofKilobytes(1), DataSize.ofMegabytes(1), 10_000, 16, Duration.ofSeconds(5), null, null)
            .within(Duration.ofSeconds(2));
}
