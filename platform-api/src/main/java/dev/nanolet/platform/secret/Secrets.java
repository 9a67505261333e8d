package dev.nanolet.platform.secret;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.deployment.SecretUsers;
import dev.nanolet.platform.deployment.SecretWriter;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.wire.Secret;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes and reads secrets: values are sealed on the way in ({@link SecretCipher}) and opened only for delivery
 * to a node ({@link #values}). A write that changes the data bumps the version and rolls out the HTTP deployments
 * that use the secret; an identical write changes nothing. Each write runs in one transaction holding the
 * secret's row lock, and checks its {@link Precondition} (If-Match) under it.
 */
@Service
@Transactional
public class Secrets implements SecretWriter {
    private final SecretStore store;
    private final SecretCipher cipher;
    private final SecretUsers users;
    private final Events events;
    private final Clock clock;

    Secrets(SecretStore store, SecretCipher cipher, SecretUsers users, Events events, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    /** What {@link #put} did: {@code changed} when it created the secret or gave it other data (a new version). */
    record Written(Secret secret, boolean created, boolean changed) {}

    /** A create that loses the race to another create checks {@code precondition} again, against what that one made. */
    Written put(String namespace, String name, Map<String, String> data, Precondition precondition) {
        SecretRules.check(namespace, name, data);
        String keyId = cipher.currentKeyId();
        Optional<SecretStore.Sealed> existing = lock(namespace, name, precondition);
        if (existing.isEmpty()) {
            if (store.insert(namespace, name, cipher.sealAll(namespace, name, data), keyId, now())) {
                events.normal(object(namespace, name), namespace, null, null, "Created", "secret created with keys " + data.keySet());
                return new Written(store.find(namespace, name).orElseThrow().secret(), true, true);
            }
            existing = lock(namespace, name, precondition);
        }
        SecretStore.Sealed current = existing.orElseThrow(() -> new ConflictException("secret " + namespace + "/" + name
                + " was deleted while this write was applied; write again"));
        if (cipher.holds(current, data)) {
            return new Written(current.secret(), false, false);
        }
        store.update(namespace, name, cipher.sealAll(namespace, name, data), keyId, now());
        Secret written = store.find(namespace, name).orElseThrow().secret();
        events.normal(object(namespace, name), namespace, null, null, "Updated",
                "secret updated to version " + written.version() + " with keys " + data.keySet());
        users.restartUsing(namespace, name, written.version());
        return new Written(written, false, true);
    }

    /**
     * {@code PUT …?dryRun=All}: every check of {@link #put} (422, 503 without a key, 412), and the secret as it would
     * leave it — its resource version the current one (none for a new secret), as a deployment's dry run — writing nothing.
     */
    @Transactional(readOnly = true)
    Written wouldPut(String namespace, String name, Map<String, String> data, Precondition precondition) {
        SecretRules.check(namespace, name, data);
        cipher.currentKeyId();
        Optional<SecretStore.Sealed> existing = store.find(namespace, name);
        precondition.check(describe(namespace, name), existing.map(r -> r.secret().resourceVersion()));
        List<String> keys = List.copyOf(new TreeSet<>(data.keySet()));
        if (existing.isEmpty()) {
            return new Written(new Secret(namespace, name, keys, 1, now(), now(), null), true, true);
        }
        Secret current = existing.get().secret();
        return cipher.holds(existing.get(), data) ? new Written(current, false, false) : new Written(new Secret(namespace, name, keys,
                current.version() + 1, current.createdAt(), now(), current.resourceVersion()), false, true);
    }

    @Override
    @Transactional(readOnly = true)
    public KeyChanges changes(String namespace, String name, Map<String, String> data, Precondition precondition) {
        SecretRules.check(namespace, name, data);
        cipher.currentKeyId(); // (503 without a key, as the write)
        Optional<SecretStore.Sealed> existing = store.find(namespace, name);
        precondition.check(describe(namespace, name), existing.map(r -> r.secret().resourceVersion()));
        if (existing.isEmpty()) {
            return null;
        }
        Map<String, String> current;
        try {
            current = cipher.openAll(existing.get());
        } catch (SecretCipher.CannotDecryptException e) {
            current = Map.of(); // (no key opens it: the write replaces every value, as put does)
        }
        Map<String, String> stored = current;
        Set<String> keys = existing.get().data().keySet();
        return new KeyChanges(
                data.keySet().stream().filter(k -> !keys.contains(k)).sorted().toList(),
                keys.stream().filter(k -> !data.containsKey(k)).sorted().toList(),
                data.keySet().stream().filter(k -> keys.contains(k) && !data.get(k).equals(stored.get(k))).sorted().toList());
    }

    /** {@code DELETE …?dryRun=All}: the checks of {@link #delete} (404, 412, 409), deleting nothing. */
    @Transactional(readOnly = true)
    void wouldDelete(String namespace, String name, Precondition precondition) {
        checkDeletable(store.find(namespace, name), namespace, name, precondition);
    }

    @Override
    public SecretWriter.Written write(String namespace, String name, Map<String, String> data, Precondition precondition) {
        Written written = put(namespace, name, data, precondition);
        return new SecretWriter.Written(namespace, name, written.created() ? SecretWriter.Done.created
                : written.changed() ? SecretWriter.Done.updated : SecretWriter.Done.unchanged, written.secret().version());
    }

    /** The row, locked, once {@code precondition} holds for it (412 otherwise). */
    private Optional<SecretStore.Sealed> lock(String namespace, String name, Precondition precondition) {
        Optional<SecretStore.Sealed> row = store.lock(namespace, name);
        precondition.check(describe(namespace, name), row.map(r -> r.secret().resourceVersion()));
        return row;
    }

    @Override
    public void lock(String namespace, String name) {
        store.lock(namespace, name);
    }

    @Transactional(readOnly = true)
    Secret get(String namespace, String name) {
        return store.find(namespace, name).map(SecretStore.Sealed::secret).orElseThrow(() -> notFound(namespace, name));
    }

    @Transactional(readOnly = true)
    List<Secret> list(String namespace) {
        return store.list(namespace);
    }

    /** Deletes the secret, refused (409, naming them) while a deployment uses it. */
    void delete(String namespace, String name, Precondition precondition) {
        checkDeletable(store.lock(namespace, name), namespace, name, precondition);
        store.delete(namespace, name);
        events.normal(object(namespace, name), namespace, null, null, "Deleted", "secret deleted");
    }

    /** 404 when {@code row} is empty, then 412 unless {@code precondition} holds, then 409 naming the deployments using it. */
    private void checkDeletable(Optional<SecretStore.Sealed> row, String namespace, String name, Precondition precondition) {
        SecretStore.Sealed found = row.orElseThrow(() -> notFound(namespace, name));
        precondition.check(describe(namespace, name), Optional.of(found.secret().resourceVersion()));
        List<String> using = users.using(namespace, name);
        if (!using.isEmpty()) {
            boolean one = using.size() == 1;
            throw new ConflictException("secret " + namespace + "/" + name + " is used by deployment" + (one ? " " : "s ")
                    + String.join(", ", using) + "; remove it from " + (one ? "its" : "their") + " env and bindings first");
        }
    }

    /** The values of secret {@code namespace/name}, opened; empty if there is no such secret. */
    @Transactional(readOnly = true)
    public Optional<Map<String, String>> values(String namespace, String name) {
        return store.find(namespace, name).map(cipher::openAll);
    }

    static NotFoundException notFound(String namespace, String name) {
        return new NotFoundException("no secret " + namespace + "/" + name);
    }

    private static String describe(String namespace, String name) {
        return "secret " + namespace + "/" + name;
    }

    private static String object(String namespace, String name) {
        return "secret/" + namespace + "/" + name;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
