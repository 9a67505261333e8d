package dev.nanolet.agent.bindings;

import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings.Reply;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A statement as the guest sends it, {@code {"sql": "...", "params": [...]}}: parameters are JSON
 * scalars, always bound ({@code $1}, {@code $2}, …), never spliced into the SQL. Read with Jackson's
 * streaming parser, straight into the values bound (no tree per call); other members are ignored.
 *
 * @param params each parameter as bound: null, a {@link Boolean}, a {@link Long}, a {@link BigDecimal} or a {@link String}
 */
record Statement(String sql, List<Object> params) {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Without a symbol table for member names: a request has two, and making one per parser cost more than reading them. */
    private static final TokenStreamFactory TOKENS = JsonFactory.builder()
            .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES).build();

    /** Parses a request; {@link Invalid} names what is wrong with it. */
    static Statement parse(byte[] request) {
        try (JsonParser p = TOKENS.createParser(ObjectReadContext.empty(), request)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Invalid(SHAPE);
            }
            String sql = null;
            List<Object> params = List.of();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken t = p.nextToken();
                if (name.equals("sql")) {
                    sql = t == JsonToken.VALUE_STRING ? p.getString() : null;
                    p.skipChildren();
                } else if (name.equals("params")) {
                    params = params(p, t);
                } else {
                    p.skipChildren();
                }
            }
            if (sql == null) {
                throw new Invalid(SHAPE);
            }
            if (p.nextToken() != null) {
                throw new Invalid("the request is not JSON: content after the object");
            }
            return new Statement(sql, params);
        } catch (JacksonException e) {
            throw new Invalid("the request is not JSON: " + e.getOriginalMessage());
        }
    }

    private static final String SHAPE = "the request must be an object with a string \"sql\"";

    private static List<Object> params(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new Invalid("\"params\" must be an array");
        }
        List<Object> list = new ArrayList<>();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
            list.add(switch (v) {
                case VALUE_NULL -> null;
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_STRING -> p.getString();
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new BigDecimal(p.getBigIntegerValue()) : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                default -> throw new Invalid("parameter " + (list.size() + 1) + " is an "
                        + (v == JsonToken.START_ARRAY ? "array" : "object")
                        + "; parameters are strings, numbers, booleans or null (send JSON as a string)");
            });
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * Prepares the statement with its parameters bound (its JDBC form from {@code pool}'s cache), without a
     * query timeout: the {@link Transaction} cancels what runs at the run's deadline.
     */
    PreparedStatement prepare(Connection c, Pool pool) throws SQLException {
        Placeholders p = pool.placeholders(sql).check(params.size());
        PreparedStatement ps = c.prepareStatement(p.sql());
        try {
            for (int i = 0; i < p.order().size(); i++) {
                bind(ps, i + 1, params.get(p.order().get(i)));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, int i, Object p) throws SQLException {
        switch (p) {
            case null -> ps.setNull(i, Types.NULL);
            case Boolean b -> ps.setBoolean(i, b);
            case Long l -> ps.setLong(i, l);
            case BigDecimal d -> ps.setBigDecimal(i, d);
            default -> ps.setString(i, (String) p);
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
