package dev.nanolet.ui.security;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import reactor.core.publisher.Mono;

/**
 * Who may see what: everything but the sign-in page and static assets needs a signed-in
 * session; the session's credentials are the admin token, checked against platform-api at
 * sign-in. CSRF protection (Spring Security's default) covers every form, sign-out included; a
 * form whose token the session does not know (the session was lost) is sent to sign in again
 * ({@link CsrfDeniedHandler}). Failed sign-ins slow their client address down ({@link SignInThrottleFilter}).
 */
@Configuration
@EnableWebFluxSecurity
class SecurityConfig {
    static final String SIGN_IN = "/sign-in";

    @Bean
    SecurityWebFilterChain securityChain(ServerHttpSecurity http, TokenAuthenticationManager tokens, SignInThrottle throttle,
            TrustedProxies proxies) {
        var throttled = new SignInThrottleFilter(throttle, proxies);
        var csrfTokens = new SignedInCsrfTokens();
        return http
                .authorizeExchange(a -> a
                        .pathMatchers(SIGN_IN, "/webjars/**", "/css/**", "/js/**", "/favicon.ico", "/actuator/health").permitAll()
                        .anyExchange().authenticated())
                .formLogin(f -> f.loginPage(SIGN_IN)
                        .authenticationManager(tokens)
                        .authenticationSuccessHandler(throttled.onSuccess(signedIn(csrfTokens)))
                        .authenticationFailureHandler(throttled.onFailure(failure())))
                .addFilterBefore(throttled, SecurityWebFiltersOrder.FORM_LOGIN)
                .exceptionHandling(e -> e.authenticationEntryPoint(new SignInEntryPoint(SIGN_IN)))
                .logout(l -> l.logoutUrl("/sign-out").logoutSuccessHandler(signedOut()))
                .csrf(c -> c.csrfTokenRepository(csrfTokens).csrfTokenRequestHandler(csrfFromFormsAndUploads()).accessDeniedHandler(new CsrfDeniedHandler()))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .headers(BrowserPolicy::apply)
                .build();
    }

    /** The module upload form is multipart: read its {@code _csrf} part too, not only url-encoded forms. */
    private static XorServerCsrfTokenRequestAttributeHandler csrfFromFormsAndUploads() {
        var handler = new XorServerCsrfTokenRequestAttributeHandler();
        handler.setTokenFromMultipartDataEnabled(true);
        return handler;
    }

    /**
     * Form login's own default: back to the page that asked for sign-in (kept in the session), else the overview. The
     * session's CSRF token is dropped first, so that its pages get a new one, as the session gets a new id: the token
     * of the sign-in form is known to whoever had that session before (a session planted in the browser by a page on
     * the same site, whose id and sign-in form the attacker fetched), and a form that page posted after the sign-in,
     * with the browser's new cookie, passed the check as the admin's. Whatever else the session held for the token signed
     * in before is forgotten too ({@link TokenSessionState}).
     */
    private static ServerAuthenticationSuccessHandler signedIn(ServerCsrfTokenRepository csrfTokens) {
        var handler = new RedirectServerAuthenticationSuccessHandler("/");
        handler.setRequestCache(new WebSessionServerRequestCache());
        return (exchange, authentication) -> Mono.fromRunnable(() -> SessionIdMoves.signedIn(exchange.getExchange(), authentication))
                .then(csrfTokens.saveToken(exchange.getExchange(), null))
                .then(TokenSessionState.forget(exchange.getExchange()))
                .then(handler.onAuthenticationSuccess(exchange, authentication));
    }

    private static ServerAuthenticationFailureHandler failure() {
        var unavailable = new RedirectServerAuthenticationFailureHandler(SIGN_IN + "?error=unavailable");
        var rejected = new RedirectServerAuthenticationFailureHandler(SIGN_IN + "?error=token");
        return (exchange, e) -> e instanceof AuthenticationServiceException
                ? unavailable.onAuthenticationFailure(exchange, e)
                : rejected.onAuthenticationFailure(exchange, e);
    }

    /** To the sign-in page, the session keeping nothing of the token signed out ({@link TokenSessionState}). */
    private static ServerLogoutSuccessHandler signedOut() {
        var handler = new RedirectServerLogoutSuccessHandler();
        handler.setLogoutSuccessUrl(URI.create(SIGN_IN + "?signedOut"));
        return (exchange, authentication) -> TokenSessionState.forget(exchange.getExchange())
                .then(handler.onLogoutSuccess(exchange, authentication));
    }
}
