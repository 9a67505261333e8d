package dev.nanolet.platform.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.platform.UnavailableException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    static final byte[] A = key(1);
    static final byte[] B = key(2);

    static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void sealsWithAFreshNonceAndOpensOnlyInItsPlace() {
        SecretCipher cipher = new SecretCipher(new SecureRandom(), A, null);
        String one = cipher.seal("ns", "db", "password", "hunter2");
        String two = cipher.seal("ns", "db", "password", "hunter2");
        assertThat(one).isNotEqualTo(two).doesNotContain("hunter2");
        assertThat(new String(Base64.getDecoder().decode(one))).doesNotContain("hunter2");
        assertThat(cipher.open(cipher.currentKeyId(), "ns", "db", "password", one)).isEqualTo("hunter2");
        assertThatThrownBy(() -> cipher.open(cipher.currentKeyId(), "ns", "db", "user", one))
                .isInstanceOf(SecretCipher.CannotDecryptException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> cipher.open(cipher.currentKeyId(), "other", "db", "password", one))
                .isInstanceOf(SecretCipher.CannotDecryptException.class);
    }

    @Test
    void aWrongKeyFailsCleanAndThePreviousKeyStillOpens() {
        SecretCipher old = new SecretCipher(new SecureRandom(), A, null);
        String sealed = old.seal("ns", "db", "url", "postgres://x");
        SecretCipher other = new SecretCipher(new SecureRandom(), B, null);
        assertThatThrownBy(() -> other.open(old.currentKeyId(), "ns", "db", "url", sealed))
                .isInstanceOf(SecretCipher.CannotDecryptException.class).hasMessageContaining("NANOLET_SECRETS_KEY_PREVIOUS");
        SecretCipher rotated = new SecretCipher(new SecureRandom(), B, A);
        assertThat(rotated.previousKeyId()).isEqualTo(old.currentKeyId()).isNotEqualTo(rotated.currentKeyId());
        assertThat(rotated.open(old.currentKeyId(), "ns", "db", "url", sealed)).isEqualTo("postgres://x");
        String tampered = Base64.getEncoder().encodeToString(flipLast(Base64.getDecoder().decode(sealed)));
        assertThatThrownBy(() -> rotated.open(old.currentKeyId(), "ns", "db", "url", tampered))
                .isInstanceOf(SecretCipher.CannotDecryptException.class);
        assertThatThrownBy(() -> rotated.open(old.currentKeyId(), "ns", "db", "url", "%%%"))
                .isInstanceOf(SecretCipher.CannotDecryptException.class);
    }

    @Test
    void withoutAKeyWritesAnswerHowToConfigureOne() {
        SecretCipher none = new SecretCipher(new SecureRandom(), null, null);
        assertThat(none.configured()).isFalse();
        assertThatThrownBy(() -> none.seal("ns", "db", "k", "v")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("NANOLET_SECRETS_KEY").hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void aKeyOfTheWrongShapeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new SecretsProperties("c2hvcnQ=", null)).hasMessageContaining("NANOLET_SECRETS_KEY")
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretsProperties(null, "not base64!")).hasMessageContaining("NANOLET_SECRETS_KEY_PREVIOUS");
        assertThat(new SecretsProperties(" ", "").key()).isNull();
    }

    private static byte[] flipLast(byte[] b) {
        b[b.length - 1] ^= 1;
        return b;
    }
}
