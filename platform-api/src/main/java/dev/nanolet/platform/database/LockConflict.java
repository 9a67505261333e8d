package dev.nanolet.platform.database;

import java.sql.SQLException;
import org.springframework.dao.PessimisticLockingFailureException;

/**
 * Whether a failure means PostgreSQL rolled the transaction back because of a concurrent one: it broke a deadlock
 * (SQLSTATE 40P01), could not serialize it (40001) or a lock wait timed out (55P03). Nothing was written, and the same
 * request may well succeed a moment later, so the API answers 409 with {@code Retry-After} instead of a 500.
 */
public final class LockConflict {

    /** Seconds a client should wait before trying again. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private LockConflict() {}

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PessimisticLockingFailureException
                    || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().matches("40P01|40001|55P03")) {
                return true;
            }
        }
        return false;
    }
}
