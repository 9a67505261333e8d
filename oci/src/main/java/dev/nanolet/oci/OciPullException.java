package dev.nanolet.oci;

/** A module could not be pulled; {@link #kind()} says why, the message says it for a person. */
public final class OciPullException extends RuntimeException {

    /** Why a pull failed. */
    public enum Kind {
        /** The reference is not a valid image reference. */
        INVALID_REFERENCE,
        /** The registry does not have the repository, tag or digest. */
        NOT_FOUND,
        /** The registry wants (other) credentials. */
        UNAUTHORIZED,
        /** The registry cannot be reached or answered with an error. */
        UNREACHABLE,
        /** The artifact has no Wasm layer (a container image, for example). */
        NOT_WASM,
        /** What came does not match the digest that names it. */
        DIGEST_MISMATCH,
        /** The Wasm layer is larger than allowed. */
        TOO_LARGE,
        /** Policy Never, and the node's cache does not have it. */
        NOT_PRESENT
    }

    private final Kind kind;

    public OciPullException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
