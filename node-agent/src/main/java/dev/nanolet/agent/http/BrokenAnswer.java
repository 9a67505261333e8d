package dev.nanolet.agent.http;

/**
 * An answer from another node that no client may get: one Netty's codec could not decode (marked by {@link AnswerFraming}),
 * or one it decoded that is still no answer ({@link Forwarder}). The client gets 502 saying so, without any of it.
 */
final class BrokenAnswer extends RuntimeException {

    BrokenAnswer(String what) {
        super("the node answered " + what);
    }

    BrokenAnswer(Throwable undecodable) {
        super("the node's answer could not be decoded: " + undecodable.getMessage(), undecodable);
    }
}
