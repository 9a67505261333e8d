package dev.nanolet.platform.deployment;

import dev.nanolet.platform.precondition.Precondition;
import java.util.List;
import java.util.Map;

/** Writes a secret for a manifest's {@code kind: Secret} document, in the manifest's transaction (the secret package). */
public interface SecretWriter {
    /**
     * As {@code PUT …/secrets/{name}}: invalid data is an InvalidInputException naming {@code data.K}, a
     * {@code precondition} that does not hold a PreconditionFailedException.
     */
    Written write(String namespace, String name, Map<String, String> data, Precondition precondition);

    /** What one {@link #write} did to the secret, and its version after it (a version rises only when the data changes). */
    record Written(String namespace, String name, Done done, long version) {}

    /** Spelt as {@code POST /apply}'s {@code Nanolet-Secrets} header says them. */
    enum Done { created, updated, unchanged }

    /**
     * What {@link #write} would change, writing nothing: the keys it would add, remove and give another value, never a
     * value; null when the secret does not exist yet. Checks as {@link #write} does (invalid data, {@code precondition}).
     */
    KeyChanges changes(String namespace, String name, Map<String, String> data, Precondition precondition);

    /** Key names only: a diff of a secret never holds a value. */
    record KeyChanges(List<String> added, List<String> removed, List<String> changed) {
        boolean none() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    /** Locks the secret's row, if there is one, until the transaction ends, as {@link #write} does first. */
    void lock(String namespace, String name);
}
