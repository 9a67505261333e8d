package dev.nanolet.platform.precondition;

import dev.nanolet.platform.PreconditionFailedException;
import java.util.List;
import java.util.Optional;

/**
 * The conditions a write was sent with (RFC 9110, section 13.1): {@code If-Match} — the object exists and, unless
 * {@code *}, is at one of the listed versions (strong comparison) — and {@code If-None-Match} — it does not exist
 * ({@code *}), or is at none of the listed versions. The writer checks them against the object's current resource
 * version while it holds the object's row lock, so no other write can come between the check and the write.
 * {@link #NONE}, a write without these headers, always holds.
 *
 * @param ifMatch null when the write has no {@code If-Match}
 * @param ifNoneMatch null when the write has no {@code If-None-Match}
 */
public record Precondition(EntityTags ifMatch, EntityTags ifNoneMatch) {
    public static final Precondition NONE = new Precondition(null, null);

    /** From the request's headers (several fields of one name joined with commas; null when absent); 400 if malformed. */
    public static Precondition of(String ifMatch, String ifNoneMatch) {
        return new Precondition(EntityTags.parse("If-Match", ifMatch), EntityTags.parse("If-None-Match", ifNoneMatch));
    }

    /** Kubernetes' {@code metadata.resourceVersion}: the object exists at exactly {@code version}; null, no condition. */
    public static Precondition resourceVersion(String version) {
        return version == null ? NONE : new Precondition(new EntityTags(false, List.of(new EntityTags.Tag(version, false))), null);
    }

    /**
     * Throws a {@link PreconditionFailedException} unless the conditions hold.
     *
     * @param object what the write names, for the message ({@code deployment team-a/web})
     * @param current the object's resource version now; empty when there is no such object
     */
    public void check(String object, Optional<String> current) {
        if (ifMatch != null && current.isEmpty()) {
            throw new PreconditionFailedException(object + " does not exist, and this write expected it to", null);
        }
        if (ifMatch != null && !ifMatch.matches(current.get(), true)) {
            throw new PreconditionFailedException(object + " is now at resourceVersion " + current.get()
                    + ", not at the one this write expected: another write came first; read it again and apply your change to that",
                    current.get());
        }
        if (ifNoneMatch != null && current.isPresent() && ifNoneMatch.matches(current.get(), false)) {
            throw new PreconditionFailedException(object + (ifNoneMatch.any() ? " already exists, and this write expected it not to"
                    : " is at resourceVersion " + current.get() + ", which this write's If-None-Match names"), current.get());
        }
    }
}
