package dev.nanolet.platform.secret;

import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's keys for secrets at rest ({@code nanolet.secrets.*}), each base64 of 32 random bytes
 * ({@code openssl rand -base64 32}); docs/secrets.md.
 *
 * @param key encrypts every write and decrypts (env {@code NANOLET_SECRETS_KEY}); empty: secrets cannot be written
 * @param previousKey only decrypts, during a rotation (env {@code NANOLET_SECRETS_KEY_PREVIOUS}); may be empty
 */
@ConfigurationProperties("nanolet.secrets")
record SecretsProperties(String key, String previousKey) {
    static final int KEY_BYTES = 32;

    SecretsProperties {
        key = blankToNull(key);
        previousKey = blankToNull(previousKey);
        decode("nanolet.secrets.key (NANOLET_SECRETS_KEY)", key);
        decode("nanolet.secrets.previous-key (NANOLET_SECRETS_KEY_PREVIOUS)", previousKey);
    }

    /** The key's bytes; null when not set. Refuses anything but base64 of exactly 32 bytes, naming the setting. */
    static byte[] decode(String setting, String value) {
        if (value == null) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not base64; generate one with: openssl rand -base64 32");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(setting + " must decode to " + KEY_BYTES + " bytes (AES-256), not "
                    + bytes.length + "; generate one with: openssl rand -base64 32");
        }
        return bytes;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
