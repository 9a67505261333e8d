package dev.nanolet.agent.bindings;

import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings.Reply;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.jdbc.PgStatement;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A statement as the guest sends it, {@code {"sql": "...", "params": [...]}}: parameters are JSON
 * scalars, always bound ({@code $1}, {@code $2}, …), never spliced into the SQL.
 */
record Statement(String sql, List<JsonNode> params) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Parses a request; {@link Invalid} names what is wrong with it. */
    static Statement parse(byte[] request) {
        JsonNode root;
        try {
            root = JSON.readTree(request);
        } catch (JacksonException e) {
            throw new Invalid("the request is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("sql").isString()) {
            throw new Invalid("the request must be an object with a string \"sql\"");
        }
        JsonNode params = root.path("params");
        if (!params.isMissingNode() && !params.isNull() && !params.isArray()) {
            throw new Invalid("\"params\" must be an array");
        }
        List<JsonNode> list = new ArrayList<>();
        params.forEach(p -> {
            if (p.isContainer()) {
                throw new Invalid("parameter " + (list.size() + 1) + " is an " + (p.isArray() ? "array" : "object")
                        + "; parameters are strings, numbers, booleans or null (send JSON as a string)");
            }
            list.add(p);
        });
        return new Statement(root.path("sql").asString(), list);
    }

    /** Prepares the statement with its parameters bound and a query timeout of {@code timeoutMs}. */
    PreparedStatement prepare(Connection c, long timeoutMs) throws SQLException {
        Placeholders p = Placeholders.of(sql, params.size());
        PreparedStatement ps = c.prepareStatement(p.sql());
        try {
            ps.unwrap(PgStatement.class).setQueryTimeoutMs(timeoutMs);
            for (int i = 0; i < p.order().size(); i++) {
                bind(ps, i + 1, params.get(p.order().get(i)));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, int i, JsonNode p) throws SQLException {
        if (p.isNull()) {
            ps.setNull(i, Types.NULL);
        } else if (p.isBoolean()) {
            ps.setBoolean(i, p.booleanValue());
        } else if (p.isIntegralNumber() && p.canConvertToLong()) {
            ps.setLong(i, p.longValue());
        } else if (p.isNumber()) {
            ps.setBigDecimal(i, p.decimalValue());
        } else {
            ps.setString(i, p.asString());
        }
    }

    /** A request the guest got wrong. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }

        Reply reply(String binding) {
            return Reply.error(BindingError.BAD_REQUEST, "binding '" + binding + "': " + getMessage());
        }
    }
}
