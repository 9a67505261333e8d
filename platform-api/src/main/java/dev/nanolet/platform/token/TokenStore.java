package dev.nanolet.platform.token;

import dev.nanolet.platform.web.ApiTokens;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.ApiToken;
import dev.nanolet.wire.Grant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every statement on {@code api_tokens}. A secret is 256 random bits, kept only as its SHA-256 and
 * found by it (an index lookup on the hash of a random secret leaks nothing useful through timing;
 * the hash found is compared again in constant time). The last-used time is written at most once
 * a minute per token, so authenticating costs one indexed read.
 */
@Component
class TokenStore implements ApiTokens {
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final TypeReference<List<Grant>> GRANTS = new TypeReference<>() {};

    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    TokenStore(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** A row with its hash, as {@link #callerFor} reads it. */
    private record Row(ApiToken token, byte[] hash) {}

    @Override
    public Optional<Caller.Token> callerFor(String secret) {
        byte[] hash = sha256(secret);
        Instant now = clock.instant();
        Optional<Row> found = jdbc.sql("SELECT * FROM api_tokens WHERE secret_sha256 = ? AND revoked_at IS NULL"
                        + " AND (expires_at IS NULL OR expires_at > ?)")
                .param(hash).param(Timestamp.from(now))
                .query((rs, n) -> new Row(token(rs), rs.getBytes("secret_sha256"))).optional()
                .filter(row -> MessageDigest.isEqual(row.hash(), hash));
        found.ifPresent(row -> touch(row.token(), now));
        return found.map(Row::token).map(t -> new Caller.Token(t.id(), t.name(), t.grants(), t.expiresAt()));
    }

    @Override
    public Set<String> holdersIn(String namespace) {
        return Set.copyOf(jdbc.sql("""
                        SELECT CAST(id AS text) FROM api_tokens t WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(t.grants) g
                        WHERE g ->> 'namespace' IS NULL OR g ->> 'namespace' = ?)""")
                .param(namespace).query(String.class).list());
    }

    private void touch(ApiToken token, Instant now) {
        if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(now.minus(LAST_USED_RESOLUTION))) {
            jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
                    .param(Timestamp.from(now)).param(token.id()).param(Timestamp.from(now.minus(LAST_USED_RESOLUTION)))
                    .update();
        }
    }

    /** Stores a new token and answers its secret, which is not kept. */
    String create(ApiToken token) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("""
                        INSERT INTO api_tokens (id, name, secret_sha256, grants, created_by, created_at, expires_at)
                        VALUES (?, ?, ?, CAST(? AS jsonb), ?, ?, ?)""")
                .param(token.id()).param(token.name()).param(sha256(secret)).param(json.writeValueAsString(token.grants()))
                .param(token.createdBy()).param(Timestamp.from(token.createdAt()))
                .param(token.expiresAt() == null ? null : Timestamp.from(token.expiresAt()))
                .update();
        return secret;
    }

    /** Tokens not revoked (expired ones too, so that an admin sees them), oldest first. */
    List<ApiToken> listLive() {
        return jdbc.sql("SELECT * FROM api_tokens WHERE revoked_at IS NULL ORDER BY created_at, id")
                .query((rs, n) -> token(rs)).list();
    }

    Optional<ApiToken> findLive(UUID id) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE id = ? AND revoked_at IS NULL").param(id)
                .query((rs, n) -> token(rs)).optional();
    }

    void revoke(UUID id) {
        jdbc.sql("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .param(Timestamp.from(clock.instant())).param(id).update();
    }

    private ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getObject("id", UUID.class), rs.getString("name"),
                json.readValue(rs.getString("grants"), GRANTS), rs.getString("created_by"),
                instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "last_used_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
