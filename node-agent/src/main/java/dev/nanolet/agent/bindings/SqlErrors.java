package dev.nanolet.agent.bindings;

import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings.Reply;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.postgresql.util.PSQLException;

/**
 * Turns what JDBC throws into what the guest reads: the server's own words for a refused statement,
 * a short cause (never a host name, port or stack) for a database that cannot be reached.
 */
final class SqlErrors {

    /** Server states meaning "not now": too many connections, shutting down, starting up. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("53300", "57P01", "57P02", "57P03");

    private SqlErrors() {}

    static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state))
                || state == null && cause(e, java.io.IOException.class) != null;
    }

    static Reply reply(String binding, SQLException e) {
        if ("57014".equals(e.getSQLState())) {
            return Reply.error(BindingError.TIMEOUT, "binding '" + binding + "': the statement was cancelled at the run's deadline");
        }
        if (unavailable(e)) {
            return Reply.error(BindingError.UNAVAILABLE, "binding '" + binding + "': the database is unavailable (" + why(e) + ")");
        }
        String text = e instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().toString() : e.getMessage();
        return Reply.error(BindingError.QUERY_FAILED, "binding '" + binding + "': " + text
                + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
    }

    private static String why(SQLException e) {
        if (cause(e, ConnectException.class) != null) {
            return "connection refused";
        }
        if (cause(e, SocketTimeoutException.class) != null) { // a connect (08001) or a read past the run's deadline
            return "08001".equals(e.getSQLState()) ? "connect timed out" : "no answer by the run's deadline";
        }
        if (cause(e, UnknownHostException.class) != null) {
            return "unknown host";
        }
        String state = e.getSQLState();
        if ("28P01".equals(state) || "28000".equals(state)) {
            return "authentication failed";
        }
        if (state != null && state.startsWith("57P")) {
            return "the server is shutting down or starting";
        }
        if ("53300".equals(state)) {
            return "too many connections";
        }
        return e instanceof SQLTransientConnectionException ? "no connection within the connect timeout" : "connection lost";
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
