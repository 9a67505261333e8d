package dev.nanolet.platform.web;

import java.util.Optional;
import java.util.Set;

/** Finds the API token a bearer secret belongs to; implemented where the tokens are kept. */
public interface ApiTokens {
    /** Secrets of API tokens start with this, so the filter knows where to look. */
    String PREFIX = "nlt_api_";

    /** The live (neither revoked nor expired) token whose secret is {@code secret}, if any; notes its use. */
    Optional<Caller.Token> callerFor(String secret);

    /**
     * The ids of the tokens, revoked and expired ones too, that have a grant in {@code namespace} or cluster-wide:
     * the actors a namespace's audit may name to an admin of that namespace alone.
     */
    Set<String> holdersIn(String namespace);
}
