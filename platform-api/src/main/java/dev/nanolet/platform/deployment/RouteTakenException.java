package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.wire.RoutePath;

/**
 * The (canonical) route path clashes with a live deployment's: the same path, or one above or below it
 * that a deployment of another namespace serves; the API answers 409 naming it to a caller who may read its
 * namespace, and only that a deployment of another namespace serves it to anyone else.
 */
class RouteTakenException extends ConflictException {
    private static final String ANOTHER = "a deployment of another namespace";

    RouteTakenException(String path, String ownerPath, String ownerNamespace, String ownerName) {
        super("http.path", message(path, ownerPath, "deployment " + ownerNamespace + "/" + ownerName,
                "deployment " + ownerNamespace + "/" + ownerName + " of another namespace"), ownerNamespace,
                message(path, ownerPath, ANOTHER, ANOTHER));
    }

    private static String message(String path, String ownerPath, String owner, String otherOwner) {
        if (path.equals(ownerPath)) {
            return path + " is already served by " + owner;
        }
        String where = RoutePath.serves(ownerPath, path) ? " is under " : " is above ";
        return path + where + ownerPath + ", served by " + otherOwner
                + "; routes of different namespaces must not be prefixes of one another";
    }
}
