package dev.nanolet.platform.deployment;

import dev.nanolet.platform.precondition.Precondition;
import java.util.Map;

/** Writes a secret for a manifest's {@code kind: Secret} document, in the manifest's transaction (the secret package). */
public interface SecretWriter {
    /**
     * As {@code PUT …/secrets/{name}}: invalid data is an InvalidInputException naming {@code data.K}, a
     * {@code precondition} that does not hold a PreconditionFailedException.
     */
    void write(String namespace, String name, Map<String, String> data, Precondition precondition);

    /** Locks the secret's row, if there is one, until the transaction ends, as {@link #write} does first. */
    void lock(String namespace, String name);
}
