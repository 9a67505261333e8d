package dev.nanolet.agent.kubernetes;

import java.util.Map;
import java.util.function.Function;

/**
 * {@code $(VAR)} in a container's {@code command}, {@code args} and env {@code value}s, expanded as a kubelet expands
 * them (Kubernetes' {@code third_party/forked/golang/expansion}): {@code $(NAME)} becomes the value of {@code NAME},
 * where the name is everything up to the first {@code )} (any characters, none at all included); a name that is not
 * defined stays as written; {@code $$} is one {@code $} (so {@code $$(VAR)} is a literal {@code $(VAR)}); a {@code $(}
 * that no {@code )} closes, a {@code $} before any other character and a {@code $} at the end stay as written. A value
 * is expanded once: what a reference brings in is not expanded again.
 *
 * <p>One expansion is one container's: each reference adds its value less its own text, and once they add more than
 * {@value #MAX_GROWTH} characters in all ({@code command}, {@code args} and env together) the pod is refused
 * ({@link TooLong}). A chain of env values each naming the one before several times would otherwise grow
 * geometrically, to gigabytes from a pod of a few KiB; the count is checked before anything is appended.
 */
final class Expansion {

    /** The most characters references may add to a container's command, args and env: 1 MiB of them. */
    static final int MAX_GROWTH = 1 << 20;

    private long growth;

    /** {@code input} with its references to {@code vars} expanded. @throws TooLong past {@value #MAX_GROWTH} characters */
    String expand(String what, String input, Map<String, String> vars) {
        return expand(what, input, vars::get);
    }

    /** {@code input} with its references expanded to what {@code vars} answers for each name (null: not defined). */
    String expand(String what, String input, Function<String, String> vars) {
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        // the first ) at or past the last place looked from (-1: none to the end), so that each character is looked at
        // once: a value of many a $( that nothing closes looked to its end again for each
        int nextClose = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 == input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            if (next == '(' && nextClose >= 0 && nextClose < cursor + 2) {
                nextClose = input.indexOf(')', cursor + 2);
            }
            int close = next == '(' ? nextClose : -1;
            if (next == '$') {
                out.append('$');
                cursor += 1;
            } else if (close < 0) { // not a reference: the $ and what follows it are copied as they are
                out.append('$');
                checkpoint = cursor + 1;
                continue;
            } else {
                String value = vars.apply(input.substring(cursor + 2, close));
                if (value != null) {
                    add(what, value.length() - (close + 1 - cursor));
                    out.append(value);
                } else {
                    out.append(input, cursor, close + 1);
                }
                cursor = close;
            }
            checkpoint = cursor + 1;
        }
        return out.append(input, checkpoint, input.length()).toString();
    }

    private void add(String what, int chars) {
        growth += chars;
        if (growth > MAX_GROWTH) {
            throw new TooLong(what);
        }
    }

    /** The references of a container make it longer than {@value #MAX_GROWTH} characters more than its pod writes. */
    static final class TooLong extends IllegalArgumentException {
        TooLong(String what) {
            super(what + ": its $(VAR) references expand the container's command, args and env by more than "
                    + MAX_GROWTH + " characters (1 MiB), the most a Wasm node expands");
        }
    }
}
