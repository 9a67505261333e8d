package dev.nanolet.platform.module;

import dev.nanolet.platform.NanoletException;

/**
 * As many uploads as {@code nanolet.modules.max-concurrent-uploads} are being parsed and stored (or
 * imported); the API answers 503. Bodies still arriving hold no slot.
 */
final class UploadsBusyException extends NanoletException {
    UploadsBusyException(int max) {
        super("the platform is already parsing " + max
                + " modules (nanolet.modules.max-concurrent-uploads); try again shortly");
    }
}
