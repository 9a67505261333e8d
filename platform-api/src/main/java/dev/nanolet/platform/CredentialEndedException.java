package dev.nanolet.platform;

/**
 * 401 with {@code WWW-Authenticate}: the credential a request was authenticated by was revoked or expired while it went
 * on (a rollout wait; what the request wrote before is written, and its message says so), or since the lookup up to a
 * second old that let a node's read in.
 */
public class CredentialEndedException extends NanoletException {
    public CredentialEndedException(String message) {
        super(message);
    }
}
