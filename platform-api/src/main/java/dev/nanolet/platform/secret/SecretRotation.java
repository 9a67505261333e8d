package dev.nanolet.platform.secret;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Key rotation: re-seals, under {@code NANOLET_SECRETS_KEY}, every secret sealed under another key (the previous one,
 * {@code NANOLET_SECRETS_KEY_PREVIOUS}), in batches of short transactions that skip rows other writers hold. Values
 * and versions do not change, so nothing rolls out. A secret that no configured key opens is left as it is and counted.
 */
@Component
class SecretRotation {
    static final int BATCH = 100;

    /** @param resealed secrets now under the current key; @param unreadable secrets no configured key opens */
    record Result(String keyId, int resealed, int unreadable) {}

    private final SecretStore store;
    private final SecretCipher cipher;
    private final TransactionTemplate tx;

    SecretRotation(SecretStore store, SecretCipher cipher, TransactionTemplate tx) {
        this.store = store;
        this.cipher = cipher;
        this.tx = tx;
    }

    /**
     * Re-seals batch by batch, each committed on its own; {@code committed} runs after each batch that re-sealed any, so
     * that a later batch failing (the database gone: 503) does not read as a rotation that wrote nothing.
     */
    Result rotateAll(Runnable committed) {
        String keyId = cipher.currentKeyId();
        int resealed = 0;
        int unreadable = 0;
        Set<String> skipped = new HashSet<>();
        while (true) {
            int[] counts = tx.execute(status -> batch(keyId, skipped));
            resealed += counts[0];
            unreadable += counts[1];
            if (counts[0] == 0) {
                return new Result(keyId, resealed, unreadable);
            }
            committed.run();
        }
    }

    /** One batch: {resealed, newly unreadable}. */
    private int[] batch(String keyId, Set<String> skipped) {
        int resealed = 0;
        int unreadable = 0;
        List<SecretStore.Sealed> rows = store.lockNotSealedWith(keyId, BATCH + skipped.size());
        for (SecretStore.Sealed row : rows) {
            String id = row.secret().namespace() + "/" + row.secret().name();
            if (skipped.contains(id)) {
                continue;
            }
            try {
                Map<String, String> values = cipher.openAll(row);
                store.reseal(row.secret().namespace(), row.secret().name(),
                        cipher.sealAll(row.secret().namespace(), row.secret().name(), values), keyId);
                resealed++;
            } catch (SecretCipher.CannotDecryptException e) {
                skipped.add(id);
                unreadable++;
            }
        }
        return new int[] {resealed, unreadable};
    }
}
