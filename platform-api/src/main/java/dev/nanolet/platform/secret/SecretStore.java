package dev.nanolet.platform.secret;

import dev.nanolet.wire.Secret;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every statement on {@code secrets}. Holds sealed values only ({@link SecretCipher}); joins the caller's transaction.
 */
@Component
class SecretStore {
    private static final TypeReference<TreeMap<String, String>> DATA = new TypeReference<>() {};

    /** A row: the sealed value of each key, and the id of the key that sealed them. */
    record Sealed(Secret secret, Map<String, String> data, String keyId) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SecretStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<Sealed> find(String namespace, String name) {
        return jdbc.sql("SELECT * FROM secrets WHERE namespace = ? AND name = ?").params(namespace, name)
                .query(this::sealed).optional();
    }

    /** The row, locked until the transaction ends (writers of one secret serialize). */
    Optional<Sealed> lock(String namespace, String name) {
        return jdbc.sql("SELECT * FROM secrets WHERE namespace = ? AND name = ? FOR UPDATE").params(namespace, name)
                .query(this::sealed).optional();
    }

    /** The row, share-locked until the transaction ends (it cannot be deleted or changed meanwhile). */
    Optional<Sealed> lockForShare(String namespace, String name) {
        return jdbc.sql("SELECT * FROM secrets WHERE namespace = ? AND name = ? FOR SHARE").params(namespace, name)
                .query(this::sealed).optional();
    }

    List<Secret> list(String namespace) {
        return jdbc.sql("SELECT * FROM secrets WHERE namespace = ? ORDER BY name").param(namespace)
                .query((rs, n) -> sealed(rs, n).secret()).list();
    }

    /** Creates the row at version 1, or does nothing when another writer created it first (answers false). */
    boolean insert(String namespace, String name, Map<String, String> sealed, String keyId, Instant now) {
        return jdbc.sql("""
                        INSERT INTO secrets (namespace, name, data, key_id, version, created_at, updated_at)
                        VALUES (?, ?, CAST(? AS jsonb), ?, 1, ?, ?) ON CONFLICT (namespace, name) DO NOTHING""")
                .params(namespace, name, json.writeValueAsString(sealed), keyId, Timestamp.from(now), Timestamp.from(now))
                .update() == 1;
    }

    /** Replaces the data, one version up. */
    void update(String namespace, String name, Map<String, String> sealed, String keyId, Instant now) {
        jdbc.sql("UPDATE secrets SET data = CAST(? AS jsonb), key_id = ?, version = version + 1, updated_at = ? WHERE namespace = ? AND name = ?")
                .params(json.writeValueAsString(sealed), keyId, Timestamp.from(now), namespace, name)
                .update();
    }

    /** Replaces the sealed data with the same values under another key: version and update time stay. */
    void reseal(String namespace, String name, Map<String, String> sealed, String keyId) {
        jdbc.sql("UPDATE secrets SET data = CAST(? AS jsonb), key_id = ? WHERE namespace = ? AND name = ?")
                .params(json.writeValueAsString(sealed), keyId, namespace, name)
                .update();
    }

    boolean delete(String namespace, String name) {
        return jdbc.sql("DELETE FROM secrets WHERE namespace = ? AND name = ?").params(namespace, name).update() == 1;
    }

    /** Up to {@code limit} rows sealed under another key than {@code keyId}, locked, skipping rows others hold. */
    List<Sealed> lockNotSealedWith(String keyId, int limit) {
        return jdbc.sql("SELECT * FROM secrets WHERE key_id <> ? ORDER BY namespace, name LIMIT ? FOR UPDATE SKIP LOCKED")
                .params(keyId, limit).query(this::sealed).list();
    }

    private Sealed sealed(ResultSet rs, int row) throws SQLException {
        Map<String, String> data = json.readValue(rs.getString("data"), DATA);
        return new Sealed(new Secret(rs.getString("namespace"), rs.getString("name"), List.copyOf(data.keySet()),
                rs.getLong("version"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getString("resource_version")),
                data, rs.getString("key_id"));
    }
}
