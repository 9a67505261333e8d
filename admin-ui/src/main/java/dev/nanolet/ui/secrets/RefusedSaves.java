package dev.nanolet.ui.secrets;

import dev.nanolet.ui.platform.WriteCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets whose last save one session had refused (412), each with the condition that save was sent with (the
 * version of the secret its page showed, or a create's {@code If-None-Match: *}), oldest first, the latest
 * {@value #KEPT} at most, so that a session that has many saves refused does not grow it without bound. A value: each
 * outcome makes a new one.
 *
 * <p>Outcomes are recorded as their answers come back, which need not be the order platform-api took them in: two tabs
 * saving the same secret at once, one taken and one refused, may have the success recorded last. So a success (or a
 * delete) of a secret ends its refusal unless both were sent with the same condition and the success was sent before the
 * refusal was recorded: then they raced from the same version, and since platform-api takes a write at a version only
 * while the secret is at it, the success came first and is what the other met; the refusal stays said. A success sent
 * from any other version ends it, as the save again from the conflict page (which shows the version now) does; so does
 * one sent after the refusal was recorded, which platform-api took after it: a create refused because someone had made
 * the secret, then made by this session once it was deleted (absent again, so with the same condition), ends it.
 * Which was first is told by numbers the caller takes from one counter that only grows: when a save is sent, and when
 * its refusal is recorded.
 *
 * @param refusals oldest first
 */
record RefusedSaves(List<Refusal> refusals) {
    /** How many refused secrets a session remembers at most: the oldest refusal is forgotten first. */
    static final int KEPT = 16;
    static final RefusedSaves NONE = new RefusedSaves(List.of());

    /** One refused save: the secret, the condition it was sent with, and the number taken when it was recorded. */
    record Refusal(String namespace, String name, WriteCondition sentWith, long recorded) {
        boolean of(String namespace, String name) {
            return this.namespace.equals(namespace) && this.name.equals(name);
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
     * These, with the save of the secret sent with {@code sentWith} refused, recorded as number {@code recorded}: its latest
     * refusal, the newest of all.
     */
    RefusedSaves refused(String namespace, String name, WriteCondition sentWith, long recorded) {
        List<Refusal> kept = without(namespace, name);
        kept.add(new Refusal(namespace, name, sentWith, recorded));
        return new RefusedSaves(kept.subList(Math.max(0, kept.size() - KEPT), kept.size()));
    }

    /**
     * These, with the secret saved or deleted by a write sent with {@code sentWith} as number {@code sent}: its refusal ends,
     * unless that was sent with the same condition and recorded after this write was sent (see above).
     */
    RefusedSaves saved(String namespace, String name, WriteCondition sentWith, long sent) {
        boolean raced = !WriteCondition.NONE.equals(sentWith) && refusals.stream()
                .anyMatch(r -> r.of(namespace, name) && r.sentWith().equals(sentWith) && r.recorded() > sent);
        return raced ? this : new RefusedSaves(without(namespace, name));
    }

    private List<Refusal> without(String namespace, String name) {
        List<Refusal> kept = new ArrayList<>(refusals);
        kept.removeIf(r -> r.of(namespace, name));
        return kept;
    }
}
