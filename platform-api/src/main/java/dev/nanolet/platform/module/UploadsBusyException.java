package dev.nanolet.platform.module;

import dev.nanolet.platform.NanoletException;

/**
 * As many uploads as {@code nanolet.modules.max-concurrent-uploads} are being parsed and stored, or as many imports
 * are pulling; the API answers 503. Bodies still arriving hold no slot.
 */
final class UploadsBusyException extends NanoletException {
    UploadsBusyException(int max) {
        this("parsing", max);
    }

    /** @param doing what the places are busy with: {@code parsing} or {@code importing} */
    UploadsBusyException(String doing, int max) {
        super("the platform is already " + doing + " " + max
                + " modules (nanolet.modules.max-concurrent-uploads); try again shortly");
    }
}
