package dev.nanolet.platform.precondition;

import dev.nanolet.platform.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of an {@code If-Match} or {@code If-None-Match} field (RFC 9110, section 8.8.3): {@code *} or a list of
 * entity tags such as {@code "42"} or {@code W/"42"}. Nanolet's own tags are strong: the quoted resource version.
 *
 * @param any {@code *}: any current version
 * @param tags the listed tags (empty when {@code any})
 */
public record EntityTags(boolean any, List<Tag> tags) {
    /**
     * One list element: an entity tag, or nothing — a recipient must accept empty elements ({@code "1", , "2"}, RFC 9110
     * section 5.6.1.2). A tag's characters are etagc: visible ASCII but {@code "}, and obs-text (a field's bytes
     * 0x80–0xFF, read as ISO-8859-1).
     */
    private static final Pattern ELEMENT = Pattern.compile("\\G[ \\t]*(?:(W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\")?[ \\t]*(?:,|\\z)");

    public EntityTags {
        tags = List.copyOf(tags);
    }

    /** One tag: its opaque value (between the quotes) and whether it is weak ({@code W/}). */
    public record Tag(String opaque, boolean weak) {}

    /** Null when the field is absent; 400 naming the field when it is neither {@code *} nor a list of entity tags. */
    static EntityTags parse(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.strip().equals("*")) {
            return new EntityTags(true, List.of());
        }
        List<Tag> tags = new ArrayList<>();
        Matcher m = ELEMENT.matcher(value);
        int end = 0;
        while (end < value.length() && m.find()) {
            if (m.group(2) != null) {
                tags.add(new Tag(m.group(2), m.group(1) != null));
            }
            end = m.end();
        }
        if (tags.isEmpty() || end < value.length()) {
            throw new BadRequestException(field + ": must be * or a list of entity tags, as the ETag header sends them "
                    + "(\"42\", with the quotes)");
        }
        return new EntityTags(false, tags);
    }

    /**
     * Whether {@code version} matches: {@code *}, or a listed tag with that value — compared strongly (a weak tag
     * never matches, as If-Match requires) or weakly (as If-None-Match does).
     */
    boolean matches(String version, boolean strong) {
        return any || tags.stream().anyMatch(t -> t.opaque().equals(version) && !(strong && t.weak()));
    }

    /** The strong entity tag of {@code version}, as the {@code ETag} header sends it. */
    public static String of(String version) {
        return "\"" + version + "\"";
    }
}
