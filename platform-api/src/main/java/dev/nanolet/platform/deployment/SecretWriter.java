package dev.nanolet.platform.deployment;

import java.util.Map;

/** Writes a secret for a manifest's {@code kind: Secret} document, in the manifest's transaction (the secret package). */
public interface SecretWriter {
    /** As {@code PUT …/secrets/{name}}: invalid data is an InvalidInputException naming {@code data.K}. */
    void write(String namespace, String name, Map<String, String> data);

    /** Locks the secret's row, if there is one, until the transaction ends, as {@link #write} does first. */
    void lock(String namespace, String name);
}
