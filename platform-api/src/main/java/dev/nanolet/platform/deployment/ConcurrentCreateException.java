package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;

/** Another request created the same deployment at the same moment; applying again makes it an update. */
class ConcurrentCreateException extends ConflictException {
    ConcurrentCreateException(String namespace, String name) {
        super("deployment " + namespace + "/" + name + " was created concurrently by another request; apply again");
    }
}
