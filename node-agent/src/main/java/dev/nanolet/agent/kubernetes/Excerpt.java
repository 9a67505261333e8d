package dev.nanolet.agent.kubernetes;

/**
 * A pod's own text as a message quotes it: a status message and a Warning event are written on every evaluation of
 * the pod, and an annotation, an image or a route may hold up to 256 KiB, which would be copied whole into both.
 */
final class Excerpt {

    /** The longest text quoted whole: longer than any quantity, name or duration an API server takes. */
    static final int MAX = 64;

    private Excerpt() {}

    /** {@code value} as a message shows it: its first {@value #MAX} characters and its length, if it is longer. */
    static String of(Object value) {
        String s = String.valueOf(value);
        if (s.length() <= MAX) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(MAX - 1)) ? MAX - 1 : MAX; // never half a character
        return s.substring(0, end) + "… (" + s.length() + " characters)";
    }

    /** {@code message} with {@code quoted} in it (literally, each time) as {@link #of} shows it; null stays null. */
    static String within(String message, String quoted) {
        return message == null || quoted == null || quoted.isEmpty() ? message : message.replace(quoted, of(quoted));
    }
}
