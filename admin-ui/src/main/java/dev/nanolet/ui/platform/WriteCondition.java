package dev.nanolet.ui.platform;

import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;

/**
 * What a write is sent with so that it cannot silently overwrite another's (platform-api's "Conditional writes"):
 * {@code If-Match} naming the resource version a form was rendered from, {@code If-None-Match: *} for a create that must
 * not replace, or {@link #NONE}. When it does not hold, platform-api writes nothing and the call fails with a
 * {@link PlatformException.Refused} that {@linkplain PlatformException.Refused#preconditionFailed() failed the precondition}.
 *
 * @param header the header's name, null for none
 * @param value the header's value
 */
public record WriteCondition(String header, String value) {
    public static final WriteCondition NONE = new WriteCondition(null, null);
    /** Create only: 412 when the object exists. */
    public static final WriteCondition ABSENT = new WriteCondition(HttpHeaders.IF_NONE_MATCH, "*");
    /**
     * An entity tag's characters (RFC 9110 etagc, ASCII), what platform-api's resource versions are made of, but for the
     * comma: platform-api's versions have none, and a form's data binder joins a field sent twice with one, so a forged post
     * with two versions would be sent as one tag that matches nothing and be refused as "someone else changed this" (412).
     */
    private static final Pattern VERSION = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x7E]{1,128}");

    /**
     * Only if the object is still at {@code resourceVersion}, as a form's hidden field carries it back; a blank one (a form
     * rendered before the dashboard sent versions) is {@link #NONE}.
     *
     * @throws InvalidVersion when it is not one (a tampered form, or one with the field twice): a write with it could never be meant
     */
    public static WriteCondition at(String resourceVersion) {
        if (resourceVersion == null || resourceVersion.isBlank()) {
            return NONE;
        }
        if (!VERSION.matcher(resourceVersion).matches()) {
            throw new InvalidVersion();
        }
        return new WriteCondition(HttpHeaders.IF_MATCH, "\"" + resourceVersion + "\"");
    }

    /**
     * Whether a write sent with this condition was sent from the object at {@code resourceVersion} exactly: {@code If-Match}
     * that version, or for null (no such object) {@code If-None-Match: *}.
     */
    public boolean sentFrom(String resourceVersion) {
        return resourceVersion == null ? equals(ABSENT)
                : HttpHeaders.IF_MATCH.equals(header) && value.equals("\"" + resourceVersion + "\"");
    }

    void addTo(HttpHeaders headers) {
        if (header != null) {
            headers.set(header, value);
        }
    }

    /** A form's resource version that no platform-api answers: the dashboard refuses it with 400 and sends nothing. */
    public static final class InvalidVersion extends IllegalArgumentException {
        InvalidVersion() {
            super("resourceVersion: not a resource version platform-api answers");
        }
    }
}
