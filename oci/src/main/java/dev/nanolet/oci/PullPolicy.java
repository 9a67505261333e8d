package dev.nanolet.oci;

import java.util.Locale;

/** When a reference is looked up in the registry again, as Kubernetes' {@code imagePullPolicy} says. */
public enum PullPolicy {
    /** Resolve the reference in the registry every time; blobs already on disk are not fetched again. */
    Always,
    /** Use what the node's cache has for the reference; ask the registry only when it has nothing. */
    IfNotPresent,
    /** Only the node's cache. */
    Never;

    /**
     * The policy {@code value} names, or Kubernetes' default when it is null or blank: {@code Always} for
     * the {@code latest} tag or no tag, else {@code IfNotPresent}; a pinned digest never needs {@code Always}.
     *
     * @throws IllegalArgumentException for a value that is none of the three
     */
    public static PullPolicy of(String value, String reference) {
        if (value != null && !value.isBlank()) {
            for (PullPolicy p : values()) {
                if (p.name().toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new IllegalArgumentException("imagePullPolicy '" + value + "' is not Always, IfNotPresent or Never");
        }
        if (reference.contains("@")) {
            return IfNotPresent;
        }
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        boolean tagged = colon > slash;
        return !tagged || reference.endsWith(":latest") ? Always : IfNotPresent;
    }
}
