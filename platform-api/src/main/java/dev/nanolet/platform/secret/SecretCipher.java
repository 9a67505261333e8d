package dev.nanolet.platform.secret;

import dev.nanolet.platform.UnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for secret values at rest (JDK crypto only): a random 96-bit nonce per value, a 128-bit tag,
 * and the value's place ({@code namespace/name/key}) as additional data, so a ciphertext copied into another
 * secret or key fails to decrypt. Stored form: base64 of nonce ‖ ciphertext ‖ tag. Each operator key is known by
 * its id (the first 8 bytes of its SHA-256, hex), stored with the row, so a row is opened with the key that sealed it.
 */
@Component
class SecretCipher {
    static final String NOT_CONFIGURED = "secrets are not configured on this platform-api: set NANOLET_SECRETS_KEY to "
            + "base64 of 32 random bytes (openssl rand -base64 32) and restart; docs/secrets.md";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** An operator key and its id. */
    record Key(String id, SecretKeySpec spec) {}

    /** A stored value could not be opened: no configured key has its id, or the tag does not verify. */
    static final class CannotDecryptException extends RuntimeException {
        CannotDecryptException(String message) {
            super(message);
        }
    }

    private final SecureRandom random;
    private final Key current;
    private final Key previous;

    @Autowired
    SecretCipher(SecretsProperties properties) {
        this(new SecureRandom(), SecretsProperties.decode("nanolet.secrets.key", properties.key()),
                SecretsProperties.decode("nanolet.secrets.previous-key", properties.previousKey()));
    }

    SecretCipher(SecureRandom random, byte[] current, byte[] previous) {
        this.random = random;
        this.current = key(current);
        this.previous = key(previous);
    }

    boolean configured() {
        return current != null;
    }

    /** The id of the key that seals new values. */
    String currentKeyId() {
        return requireKey().id();
    }

    /** The id of the previous key; null when none is configured. */
    String previousKeyId() {
        return previous == null ? null : previous.id();
    }

    String seal(String namespace, String name, String key, String value) {
        Key k = requireKey();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, k.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(namespace, name, key));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    String open(String keyId, String namespace, String name, String key, String stored) {
        Key k = current != null && current.id().equals(keyId) ? current
                : previous != null && previous.id().equals(keyId) ? previous : null;
        if (k == null) {
            throw new CannotDecryptException("secret " + namespace + "/" + name + " was sealed with key " + keyId
                    + ", which is neither NANOLET_SECRETS_KEY nor NANOLET_SECRETS_KEY_PREVIOUS");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, k.spec(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(aad(namespace, name, key));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CannotDecryptException("secret " + namespace + "/" + name + " key " + key
                    + " does not decrypt with key " + keyId + " (tampered or sealed under another key)");
        }
    }

    /** Every value of a stored secret, opened. */
    Map<String, String> openAll(SecretStore.Sealed s) {
        Map<String, String> values = new TreeMap<>();
        s.data().forEach((key, sealed) -> values.put(key, open(s.keyId(), s.secret().namespace(), s.secret().name(), key, sealed)));
        return values;
    }

    /** Whether {@code current} holds exactly {@code data}; a secret no configured key opens holds nothing. */
    boolean holds(SecretStore.Sealed current, Map<String, String> data) {
        try {
            return openAll(current).equals(new TreeMap<>(data));
        } catch (CannotDecryptException e) {
            return false;
        }
    }

    /** Every value of {@code data}, sealed under the current key. */
    Map<String, String> sealAll(String namespace, String name, Map<String, String> data) {
        Map<String, String> sealed = new TreeMap<>();
        data.forEach((key, value) -> sealed.put(key, seal(namespace, name, key, value)));
        return sealed;
    }

    private Key requireKey() {
        if (current == null) {
            throw new UnavailableException(NOT_CONFIGURED);
        }
        return current;
    }

    private static byte[] aad(String namespace, String name, String key) {
        return (namespace + "/" + name + "/" + key).getBytes(StandardCharsets.UTF_8);
    }

    private static Key key(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Key(HexFormat.of().formatHex(hash, 0, 8), new SecretKeySpec(bytes, "AES"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
