package dev.nanolet.ui.security;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import java.util.List;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Signs a user in when platform-api accepts the token they typed as an admin token. The
 * resulting authentication keeps the token as its credentials, in the web session, so that
 * every later call to platform-api is made with it.
 */
@Component
class TokenAuthenticationManager implements ReactiveAuthenticationManager {
    private final PlatformClient platform;

    TokenAuthenticationManager(PlatformClient platform) {
        this.platform = platform;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication attempt) {
        String token = attempt.getCredentials() == null ? "" : attempt.getCredentials().toString().strip();
        if (token.isEmpty()) {
            return Mono.error(new BadCredentialsException("no token"));
        }
        return platform.checkAdminToken(token)
                .thenReturn((Authentication) UsernamePasswordAuthenticationToken.authenticated(
                        "admin", token, List.of(new SimpleGrantedAuthority("ROLE_ADMIN"))))
                .onErrorMap(PlatformException.class, e -> e instanceof PlatformException.Refused r && (r.status() == 401 || r.status() == 403)
                        ? new BadCredentialsException("platform-api refused the token", e)
                        : new AuthenticationServiceException(e.getMessage(), e));
    }
}
