package dev.nanolet.ui.secrets;

import dev.nanolet.ui.platform.WriteCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The secrets whose last save one session had refused (412), each with the version of the secret that refusal met (the
 * 412's {@code resourceVersion}; null when the secret did not exist), oldest first, the latest {@value #KEPT} at most, so
 * that a session that has many saves refused does not grow it without bound. A value: each outcome makes a new one.
 *
 * <p>Outcomes are recorded as their answers come back, which need not be the order platform-api took them in: two tabs
 * saving the same secret at once, one taken and one refused, may have the success recorded last; and a third write (from
 * the version the first made, in a third tab) may be taken before the refusal and recorded after it. So a success (or a
 * delete) of a secret ends its refusal only when it is known to have come after it: it was sent from the very version the
 * refusal met and left the secret at another (written on top of what the refused save met, as the save again from the
 * conflict page, which shows the version now, is; a save of the same data keeps the version, so it may have come first;
 * for a refusal that met no secret, a create, which could have come first only if the secret was deleted again before the
 * refusal: taken as after),
 * or it was sent after the refusal was recorded (platform-api took it after: a create refused because someone had made
 * the secret, then made by this session once it was deleted). Any other success may have come first and be what the
 * refused save met, or led to it: the refusal stays said, since the save it names was refused. Versions are compared only
 * for equality, as platform-api documents them (never reused). Which was first is told by numbers the caller takes from
 * one counter that only grows: when a save is sent, and when its refusal is recorded.
 *
 * @param refusals oldest first
 */
record RefusedSaves(List<Refusal> refusals) {
    /** How many refused secrets a session remembers at most: the oldest refusal is forgotten first. */
    static final int KEPT = 16;
    static final RefusedSaves NONE = new RefusedSaves(List.of());

    /** One refused save: the secret, the version it met (null: none), and the number taken when it was recorded. */
    record Refusal(String namespace, String name, String met, long recorded) {
        boolean of(String namespace, String name) {
            return this.namespace.equals(namespace) && this.name.equals(name);
        }

        /**
         * Whether a write sent with {@code sentWith} as number {@code sent}, leaving the secret at version {@code left}, was
         * taken after this refusal (see above).
         */
        boolean endedBy(WriteCondition sentWith, long sent, String left) {
            return sent > recorded || sentWith.sentFrom(met) && !Objects.equals(left, met);
        }
    }

    RefusedSaves {
        refusals = List.copyOf(refusals);
    }

    /** Whether the last save of secret {@code name} in {@code namespace} recorded here was refused. */
    boolean has(String namespace, String name) {
        return refusals.stream().anyMatch(r -> r.of(namespace, name));
    }

    /**
     * These, with a save of the secret refused having met version {@code met}, recorded as number {@code recorded}: its
     * latest refusal, the newest of all.
     */
    RefusedSaves refused(String namespace, String name, String met, long recorded) {
        List<Refusal> kept = without(namespace, name);
        kept.add(new Refusal(namespace, name, met, recorded));
        return new RefusedSaves(kept.subList(Math.max(0, kept.size() - KEPT), kept.size()));
    }

    /**
     * These, with the secret saved or deleted by a write sent with {@code sentWith} as number {@code sent}, which left it at
     * version {@code left} (null: deleted): its refusal ends if that write came after it (see above), else it stays.
     */
    RefusedSaves saved(String namespace, String name, WriteCondition sentWith, long sent, String left) {
        boolean after = refusals.stream().filter(r -> r.of(namespace, name)).allMatch(r -> r.endedBy(sentWith, sent, left));
        return after ? new RefusedSaves(without(namespace, name)) : this;
    }

    private List<Refusal> without(String namespace, String name) {
        List<Refusal> kept = new ArrayList<>(refusals);
        kept.removeIf(r -> r.of(namespace, name));
        return kept;
    }
}
