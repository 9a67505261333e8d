package dev.nanolet.platform.secret;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.deployment.SecretUsers;
import dev.nanolet.platform.deployment.SecretWriter;
import dev.nanolet.platform.event.Events;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.Secret;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

    /** What {@link #put} did. */
    record Written(Secret secret, boolean created) {}

    /** A create that loses the race to another create checks {@code precondition} again, against what that one made. */
    Written put(String namespace, String name, Map<String, String> data, Precondition precondition) {
        List<FieldError> errors = SecretRules.validate(namespace, name, data);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String keyId = cipher.currentKeyId();
        Optional<SecretStore.Sealed> existing = lock(namespace, name, precondition);
        if (existing.isEmpty()) {
            if (store.insert(namespace, name, cipher.sealAll(namespace, name, data), keyId, now())) {
                events.normal(object(namespace, name), namespace, null, null, "Created", "secret created with keys " + data.keySet());
                return new Written(store.find(namespace, name).orElseThrow().secret(), true);
            }
            existing = lock(namespace, name, precondition);
        }
        SecretStore.Sealed current = existing.orElseThrow(() -> new ConflictException("secret " + namespace + "/" + name
                + " was deleted while this write was applied; write again"));
        if (unchanged(current, data)) {
            return new Written(current.secret(), false);
        }
        store.update(namespace, name, cipher.sealAll(namespace, name, data), keyId, now());
        Secret written = store.find(namespace, name).orElseThrow().secret();
        events.normal(object(namespace, name), namespace, null, null, "Updated",
                "secret updated to version " + written.version() + " with keys " + data.keySet());
        users.restartUsing(namespace, name, written.version());
        return new Written(written, false);
    }

    /** Whether {@code current} holds exactly {@code data}; a secret no configured key opens is overwritten. */
    private boolean unchanged(SecretStore.Sealed current, Map<String, String> data) {
        try {
            return cipher.openAll(current).equals(new TreeMap<>(data));
        } catch (SecretCipher.CannotDecryptException e) {
            return false;
        }
    }

    @Override
    public void write(String namespace, String name, Map<String, String> data, Precondition precondition) {
        put(namespace, name, data, precondition);
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
        SecretStore.Sealed row = store.lock(namespace, name).orElseThrow(() -> notFound(namespace, name));
        precondition.check(describe(namespace, name), Optional.of(row.secret().resourceVersion()));
        List<String> using = users.using(namespace, name);
        if (!using.isEmpty()) {
            throw new ConflictException("secret " + namespace + "/" + name + " is used by deployment"
                    + (using.size() == 1 ? " " : "s ") + String.join(", ", using) + "; remove it from their env and bindings first");
        }
        store.delete(namespace, name);
        events.normal(object(namespace, name), namespace, null, null, "Deleted", "secret deleted");
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
