package dev.nanolet.agent.bindings;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.nanolet.agent.runtime.BindingError;
import dev.nanolet.agent.runtime.Bindings.Op;
import dev.nanolet.agent.runtime.Bindings.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * A key-value store kept in one table of the binding's database, {@code nanolet_kv} (text keys,
 * bytea values), created on first use. Keys are UTF-8 without NUL; values any bytes.
 */
final class KeyValue {

    static final String CREATE = "CREATE TABLE IF NOT EXISTS nanolet_kv (key text PRIMARY KEY, value bytea NOT NULL)";

    private final BindingProperties props;

    KeyValue(BindingProperties props) {
        this.props = props;
    }

    Reply call(Op op, Connection c, String binding, byte[] key, byte[] value) throws SQLException {
        String k = key(binding, key);
        return switch (op) {
            case KV_GET -> {
                try (PreparedStatement ps = prepare(c, "SELECT value FROM nanolet_kv WHERE key = ?", k);
                        ResultSet rs = ps.executeQuery()) {
                    yield rs.next() ? Reply.data(rs.getBytes(1))
                            : Reply.error(BindingError.NOT_FOUND, "binding '" + binding + "': no key '" + k + "'");
                }
            }
            case KV_SET -> {
                if (value.length > props.maxValueBytes().toBytes()) {
                    yield Reply.error(BindingError.TOO_LARGE, "binding '" + binding + "': the value is above "
                            + props.maxValueBytes().toBytes() + " bytes");
                }
                try (PreparedStatement ps = prepare(c, "INSERT INTO nanolet_kv (key, value) VALUES (?, ?) "
                        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value", k)) {
                    ps.setBytes(2, value);
                    ps.executeUpdate();
                    yield Reply.ok(0);
                }
            }
            case KV_DELETE -> {
                try (PreparedStatement ps = prepare(c, "DELETE FROM nanolet_kv WHERE key = ?", k)) {
                    yield Reply.ok(ps.executeUpdate());
                }
            }
            case KV_EXISTS -> {
                try (PreparedStatement ps = prepare(c, "SELECT 1 FROM nanolet_kv WHERE key = ?", k);
                        ResultSet rs = ps.executeQuery()) {
                    yield Reply.ok(rs.next() ? 1 : 0);
                }
            }
            case KV_KEYS -> keys(c, binding, k);
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    private Reply keys(Connection c, String binding, String prefix) throws SQLException {
        String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, "SELECT key FROM nanolet_kv WHERE key LIKE ? ESCAPE '\\' ORDER BY key LIMIT "
                + (props.maxKeys() + 1), like); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        if (keys.size() > props.maxKeys()) {
            return Reply.error(BindingError.TOO_LARGE, "binding '" + binding + "': more than " + props.maxKeys()
                    + " keys start with '" + prefix + "'");
        }
        byte[] json;
        try {
            json = Statement.JSON.writeValueAsBytes(keys);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
        return json.length > props.maxResultBytes().toBytes()
                ? Reply.error(BindingError.TOO_LARGE, "binding '" + binding + "': the key list is above "
                        + props.maxResultBytes().toBytes() + " bytes")
                : Reply.data(json);
    }

    /** Without a query timeout: the transaction cancels what runs at the run's deadline. */
    private static PreparedStatement prepare(Connection c, String sql, String first) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setString(1, first);
        return ps;
    }

    private String key(String binding, byte[] key) {
        if (key.length > props.maxKeyBytes().toBytes()) {
            throw new Statement.Invalid("the key is above " + props.maxKeyBytes().toBytes() + " bytes");
        }
        try {
            String k = UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
            if (k.indexOf('\0') >= 0) {
                throw new Statement.Invalid("a key may not contain NUL");
            }
            return k;
        } catch (CharacterCodingException e) {
            throw new Statement.Invalid("the key is not UTF-8");
        }
    }
}
