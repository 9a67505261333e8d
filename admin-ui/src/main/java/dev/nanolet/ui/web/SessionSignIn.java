package dev.nanolet.ui.web;

import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.WebSession;

/**
 * The sign-in a session held when a request or a log stream came in (Spring Security's context, kept in the session under
 * {@link #ATTRIBUTE}), whose token that request's or stream's calls to platform-api carry. One rule for both: what a 401 to
 * that token ends is this sign-in, never one the browser made since in another tab. Their ends differ: a page goes to sign
 * in ({@code ErrorAdvice}), a stream just ends ({@code LogController}).
 *
 * @param session the session the request or stream came with
 * @param held its sign-in then; null if it held none
 */
public record SessionSignIn(WebSession session, Object held) {
    /** Where Spring Security keeps a session's sign-in; its sign-out takes it out, in place. */
    public static final String ATTRIBUTE = WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME;

    /** The sign-in {@code session} holds now. */
    public static SessionSignIn of(WebSession session) {
        return new SessionSignIn(session, session.getAttribute(ATTRIBUTE));
    }

    /** Whether the session holds a sign-in now, and another one than this: the browser signed in again since. */
    public boolean replaced() {
        Object now = session.getAttribute(ATTRIBUTE);
        return held != null && now != null && now != held;
    }

    /**
     * Whether the session held a sign-in and holds it no more: the browser signed in again or signed out since (or the
     * session expired).
     */
    public boolean ended() {
        return held != null && !holds();
    }

    /** Whether the session, not expired, still holds this very sign-in: neither signed out nor signed in again since. */
    public boolean holds() {
        return held != null && !session.isExpired() && session.getAttribute(ATTRIBUTE) == held;
    }
}
