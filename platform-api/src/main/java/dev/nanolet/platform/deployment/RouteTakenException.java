package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;

/** Another live deployment already serves the (canonical) route path; the API answers 409 naming it. */
class RouteTakenException extends ConflictException {
    RouteTakenException(String path, String owner) {
        super("http.path", path + " is already served by deployment " + owner);
    }
}
