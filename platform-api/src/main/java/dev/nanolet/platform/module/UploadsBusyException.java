package dev.nanolet.platform.module;

import dev.nanolet.platform.NanoletException;

/** As many uploads as {@code nanolet.modules.max-concurrent-uploads} are being received or parsed; the API answers 503. */
final class UploadsBusyException extends NanoletException {
    UploadsBusyException(int max) {
        super("the platform is already receiving or parsing " + max
                + " modules (nanolet.modules.max-concurrent-uploads); try again shortly");
    }
}
