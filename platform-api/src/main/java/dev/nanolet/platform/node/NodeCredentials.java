package dev.nanolet.platform.node;

import dev.nanolet.platform.web.NodeIdentities;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Node credentials: 256 random bits each, issued once, kept only as SHA-256 in
 * {@code nodes.credential_sha256}. A credential is found by its hash (an index lookup on a hash of
 * a random secret leaks nothing useful through timing), and deleting the node revokes it.
 */
@Component
class NodeCredentials implements NodeIdentities {
    private static final String PREFIX = "nlt_node_";
    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;

    NodeCredentials(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A fresh random secret (also used for a node's logs token). */
    String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A fresh credential, recognisable in a leaked log by its prefix. */
    String newCredential() {
        return PREFIX + newSecret();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<String> nodeFor(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT name FROM nodes WHERE credential_sha256 = ?").param(sha256(token))
                .query(String.class).optional();
    }
}
