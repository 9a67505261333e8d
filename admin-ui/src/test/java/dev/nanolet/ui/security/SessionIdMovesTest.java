package dev.nanolet.ui.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.ui.web.SessionSignIn;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

/** Spring's session manager and in-memory store, with {@link SessionIdMoves}: which answer names which session id. */
class SessionIdMovesTest {
    private static final String COOKIE = "NANOLET_SESSION";
    private final WebSessionManager sessions = sessions();

    /**
     * A request of a session nobody has signed in with yet (a sign-in page or a static file of a tenant that planted it),
     * under way while the session's id is moved by another (the admin's sign-in), names no id: the tenant's copy stays
     * worthless. Seen failing before: its answer set the moved id.
     */
    @Test
    void aRequestUnderWayWhileAnotherMovesTheIdNamesNoId() {
        String planted = started();
        ServerWebExchange tenant = exchange(planted);
        ServerWebExchange signIn = exchange(planted);
        WebSession held = tenant.getSession().block();

        signIn.getSession().flatMap(WebSession::changeSessionId).block();
        String moved = answer(signIn).getValue();
        assertThat(moved).isNotEqualTo(planted).isEqualTo(held.getId());

        assertThat(answer(tenant)).isNull();
    }

    /** The request that moved the id names the id it moved it to. */
    @Test
    void theRequestThatMovedTheIdNamesIt() {
        ServerWebExchange signIn = exchange(started());

        WebSession session = signIn.getSession().block();
        session.changeSessionId().block();

        assertThat(answer(signIn).getValue()).isEqualTo(session.getId());
    }

    /** A moved id moved again by another request is not named by the first: the id is the second's. */
    @Test
    void anIdMovedAgainByAnotherRequestIsNamedOnlyByThatOne() {
        String planted = started();
        ServerWebExchange first = exchange(planted);
        ServerWebExchange second = exchange(planted);
        WebSession shared = first.getSession().block();
        assertThat(second.getSession().block().getId()).isEqualTo(shared.getId());
        shared.changeSessionId().block();
        second.getSession().flatMap(WebSession::changeSessionId).block();

        assertThat(answer(first)).isNull();
        assertThat(answer(second).getValue()).isEqualTo(second.getSession().block().getId());
    }

    /**
     * A request that moves the id itself (a tenant's sign-in form making its token, its own sign-in or sign-out), having
     * got the session before another request signed in with it, names no id: the id it moved to holds that other sign-in.
     * Seen failing before: its answer set that id, and the tenant's next request ran as whoever signed in.
     */
    @Test
    void aRequestThatMovesTheIdAfterAnotherSignedInWithTheSessionNamesNoId() {
        String planted = started();
        ServerWebExchange tenant = exchange(planted);
        WebSession held = tenant.getSession().block();

        signIn(exchange(planted));
        tenant.getSession().flatMap(WebSession::changeSessionId).block();

        assertThat((Object) held.getAttribute(SessionSignIn.ATTRIBUTE)).isNotNull();
        assertThat(answer(tenant)).isNull();
    }

    /** The sign-in names the id it moved the session to, and so does a sign-out of that sign-in. */
    @Test
    void aSignInAndItsSignOutNameTheIdTheyMovedTo() {
        ServerWebExchange signIn = exchange(started());

        signIn(signIn);
        String signedIn = answer(signIn).getValue();
        assertThat(signedIn).isEqualTo(signIn.getSession().block().getId());

        ServerWebExchange signOut = exchange(signedIn);
        signOut.getSession().doOnNext(s -> s.getAttributes().remove(SessionSignIn.ATTRIBUTE)).flatMap(WebSession::changeSessionId).block();
        assertThat(answer(signOut).getValue()).isNotEqualTo(signedIn).isEqualTo(signOut.getSession().block().getId());
    }

    /** A new session is named, whether the request came with no cookie or with one that names no session. */
    @Test
    void aNewSessionIsNamed() {
        for (ServerWebExchange exchange : new ServerWebExchange[] {exchange(null), exchange("gone")}) {
            WebSession session = exchange.getSession().block();
            session.getAttributes().put("a", "b");

            assertThat(answer(exchange).getValue()).isEqualTo(session.getId());
        }
    }

    /** An ended session's cookie is expired, as before. */
    @Test
    void anEndedSessionsCookieIsExpired() {
        ServerWebExchange signOut = exchange(started());

        signOut.getSession().flatMap(WebSession::invalidate).block();

        ResponseCookie expired = answer(signOut);
        assertThat(expired.getValue()).isEmpty();
        assertThat(expired.getMaxAge()).isZero();
    }

    /** The id of a session started (and saved) by a request of its own. */
    private String started() {
        ServerWebExchange first = exchange(null);
        first.getSession().block().getAttributes().put("a", "b");
        return answer(first).getValue();
    }

    /** Signs in as Spring Security does (the sign-in in the session, then a new id) and as {@code SecurityConfig} notes it. */
    private static void signIn(ServerWebExchange exchange) {
        var authentication = new TestingAuthenticationToken("admin", null);
        exchange.getSession().doOnNext(s -> s.getAttributes().put(SessionSignIn.ATTRIBUTE, new SecurityContextImpl(authentication)))
                .flatMap(WebSession::changeSessionId).block();
        SessionIdMoves.signedIn(exchange, authentication);
    }

    private ServerWebExchange exchange(String cookie) {
        var request = MockServerHttpRequest.get("/");
        if (cookie != null) {
            request.cookie(new org.springframework.http.HttpCookie(COOKIE, cookie));
        }
        return MockServerWebExchange.builder(request).sessionManager(sessions).build();
    }

    /** Commits the exchange's answer (saving its session) and gives the session cookie it set, or null. */
    private static ResponseCookie answer(ServerWebExchange exchange) {
        exchange.getResponse().setComplete().block();
        return exchange.getResponse().getCookies().getFirst(COOKIE);
    }

    private static WebSessionManager sessions() {
        var manager = new DefaultWebSessionManager();
        var cookies = new CookieWebSessionIdResolver();
        cookies.setCookieName(COOKIE);
        manager.setSessionIdResolver(cookies);
        return (WebSessionManager) new SessionIdMoves().postProcessAfterInitialization(manager, "webSessionManager");
    }
}
