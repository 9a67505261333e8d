package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.wire.RoutePath;

/**
 * The (canonical) route path clashes with a live deployment's: the same path, or one above or below it
 * that a deployment of another namespace serves; the API answers 409 naming it.
 */
class RouteTakenException extends ConflictException {
    RouteTakenException(String path, String ownerPath, String owner) {
        super("http.path", message(path, ownerPath, owner));
    }

    private static String message(String path, String ownerPath, String owner) {
        if (path.equals(ownerPath)) {
            return path + " is already served by deployment " + owner;
        }
        String where = RoutePath.serves(ownerPath, path) ? " is under " : " is above ";
        return path + where + ownerPath + ", served by deployment " + owner
                + " of another namespace; routes of different namespaces must not be prefixes of one another";
    }
}
