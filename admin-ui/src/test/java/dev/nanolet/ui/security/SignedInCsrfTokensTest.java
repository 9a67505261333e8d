package dev.nanolet.ui.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.ui.web.SessionSignIn;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;

class SignedInCsrfTokensTest {
    private final InMemoryWebSessionStore sessions = new InMemoryWebSessionStore();
    private final SignedInCsrfTokens tokens = new SignedInCsrfTokens();

    /**
     * Two requests of a signed-in session that both found no token (its first page and another tab's refresh) make the
     * same one, and the session keeps its id. Seen failing with Spring's repository: two tokens, the id moved twice.
     */
    @Test
    void requestsOfASignedInSessionMakingATokenAtOnceMakeOneAndKeepTheId() {
        WebSession session = session();
        session.getAttributes().put(SessionSignIn.ATTRIBUTE, new SecurityContextImpl());
        String id = session.getId();
        ServerWebExchange page = exchange(session);
        ServerWebExchange refresh = exchange(session);

        CsrfToken first = tokens.generateToken(page).block();
        CsrfToken second = tokens.generateToken(refresh).block();
        tokens.saveToken(page, first).block();
        tokens.saveToken(refresh, second).block();

        assertThat(second).isSameAs(first);
        assertThat(tokens.loadToken(page).block()).isSameAs(first);
        assertThat(session.getId()).isEqualTo(id);
    }

    /** Before sign-in (the sign-in form's token) a token moves the session's id, as Spring's repository does. */
    @Test
    void aTokenMadeBeforeSignInMovesTheSessionId() {
        WebSession session = session();
        String id = session.getId();
        ServerWebExchange signInForm = exchange(session);

        tokens.saveToken(signInForm, tokens.generateToken(signInForm).block()).block();

        assertThat(session.getId()).isNotEqualTo(id);
        assertThat(tokens.loadToken(signInForm).block()).isNotNull();
    }

    /** The sign-in (and the sign-out) drops the token, and that moves the id too. */
    @Test
    void droppingTheTokenOfASignedInSessionMovesItsId() {
        WebSession session = session();
        session.getAttributes().put(SessionSignIn.ATTRIBUTE, new SecurityContextImpl());
        ServerWebExchange page = exchange(session);
        tokens.saveToken(page, tokens.generateToken(page).block()).block();
        String id = session.getId();

        tokens.saveToken(page, null).block();

        assertThat(session.getId()).isNotEqualTo(id);
        assertThat(tokens.loadToken(page).block()).isNull();
    }

    private WebSession session() {
        WebSession session = sessions.createWebSession().block();
        session.start();
        session.save().block();
        return session;
    }

    private static ServerWebExchange exchange(WebSession session) {
        return MockServerWebExchange.builder(MockServerHttpRequest.get("/")).session(session).build();
    }
}
