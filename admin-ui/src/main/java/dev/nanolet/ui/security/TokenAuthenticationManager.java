package dev.nanolet.ui.security;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.wire.Role;
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
 * Signs a user in when platform-api accepts the token they typed as an API token (the admin token
 * or one from {@code /api/v1/tokens}): {@code GET /tokens/self} answers who it is and its grants,
 * kept as the authentication's details ({@link dev.nanolet.ui.web.Permissions} shows and hides actions by them). The
 * token stays the credentials, in the web session, so that every later call to platform-api is made
 * with it and platform-api decides every call.
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
        return platform.self(token)
                .map(identity -> {
                    var signedIn = UsernamePasswordAuthenticationToken.authenticated(identity.name(), token,
                            identity.may(Role.admin, null) ? List.of(new SimpleGrantedAuthority("ROLE_ADMIN")) : List.of());
                    signedIn.setDetails(identity);
                    return (Authentication) signedIn;
                })
                .onErrorMap(PlatformException.class, e -> e instanceof PlatformException.Refused r && (r.status() == 401 || r.status() == 403)
                        ? new BadCredentialsException("platform-api refused the token", e)
                        : new AuthenticationServiceException(e.getMessage(), e));
    }
}
