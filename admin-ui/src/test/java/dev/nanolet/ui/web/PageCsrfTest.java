package dev.nanolet.ui.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import reactor.core.publisher.Mono;

/**
 * The window between the look at the request's sign-in and the making of the page's CSRF token: another token's sign-in
 * that lands while the token is made (on another thread, here while the token's {@code Mono} runs) made it the new
 * sign-in's, and the previous token's page must not carry it. Seen failing before the sign-in was looked at again once
 * the token was made: the page got the token.
 */
class PageCsrfTest {
    private final WebSession session = new InMemoryWebSessionStore().createWebSession().block();
    private final CsrfToken made = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "made-after-the-sign-in");

    @Test
    void aSignInThatLandsWhileThePagesTokenIsMadeLeavesThePageWithout() {
        ServerWebExchange page = pageSignedInAgainWhileItsTokenIsMade(MockServerHttpRequest.get("/deployments"));

        assertThat(PageCsrf.resolve(page).blockOptional()).isEmpty();
        assertThat(page.getAttributes()).doesNotContainKey(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME);
    }

    @Test
    void aFullPageWhoseSignInWasReplacedWhileItsTokenWasMadeIsNotRendered() {
        ServerWebExchange page = pageSignedInAgainWhileItsTokenIsMade(MockServerHttpRequest.get("/deployments"));

        assertThatThrownBy(() -> PageCsrf.forPage(page).block()).isInstanceOf(PageCsrf.SignInChanged.class);
        assertThat(page.getAttributes()).doesNotContainKey(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME);
    }

    @Test
    void aPageOfTheSignInInForceGetsItsToken() {
        session.getAttributes().put(SessionSignIn.ATTRIBUTE, new SecurityContextImpl());
        ServerWebExchange page = cameIn(MockServerHttpRequest.get("/deployments"));
        page.getAttributes().put(CsrfToken.class.getName(), Mono.just(made));

        assertThat(PageCsrf.forPage(page).block()).isSameAs(made);
        assertThat(page.getAttributes()).containsEntry(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, made);
    }

    private ServerWebExchange pageSignedInAgainWhileItsTokenIsMade(MockServerHttpRequest.BaseBuilder<?> request) {
        session.getAttributes().put(SessionSignIn.ATTRIBUTE, new SecurityContextImpl());
        ServerWebExchange page = cameIn(request);
        page.getAttributes().put(CsrfToken.class.getName(), Mono.fromSupplier(() -> {
            session.getAttributes().put(SessionSignIn.ATTRIBUTE, new SecurityContextImpl());
            return made;
        }));
        return page;
    }

    /** An exchange of {@link #session} past {@link RequestSignIn}, which noted the sign-in the session held. */
    private ServerWebExchange cameIn(MockServerHttpRequest.BaseBuilder<?> request) {
        ServerWebExchange exchange = MockServerWebExchange.builder(request).session(session).build();
        new RequestSignIn().filter(exchange, e -> Mono.empty()).block();
        return exchange;
    }
}
