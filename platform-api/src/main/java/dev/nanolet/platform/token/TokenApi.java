package dev.nanolet.platform.token;

import dev.nanolet.platform.ForbiddenException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.ApiToken;
import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Identity;
import dev.nanolet.wire.IssuedToken;
import dev.nanolet.wire.Role;
import dev.nanolet.wire.TokenRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Create, list and revoke API tokens. A caller manages the tokens all of whose grants lie where it
 * is admin, and never mints more than it has: each grant needs the caller to be admin where the
 * grant holds, and a token of an expiring caller expires no later than the caller.
 */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenApi {
    private final TokenStore store;
    private final Clock clock;

    TokenApi(TokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** 201 with the secret, shown this once. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedToken create(@RequestBody(required = false) TokenRequest body, HttpServletRequest request) {
        Caller caller = Caller.of(request);
        TokenRules.validate(body);
        for (Grant grant : body.grants()) {
            if (!caller.has(Role.admin, grant.namespace())) {
                throw new ForbiddenException("granting " + grant + " needs role admin "
                        + (grant.namespace() == null ? "cluster-wide" : "in namespace " + grant.namespace())
                        + "; token " + caller.name() + " may not mint more than it has");
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = body.expiresInSeconds() == null ? null : now.plusSeconds(body.expiresInSeconds());
        if (caller.expiresAt() != null && (expires == null || expires.isAfter(caller.expiresAt()))) {
            throw new ForbiddenException("token " + caller.name() + " expires at " + caller.expiresAt()
                    + "; a token it creates must set expiresInSeconds and expire no later");
        }
        ApiToken token = new ApiToken(UUID.randomUUID(), body.name(), body.grants(), caller.name(), now, expires, null);
        return new IssuedToken(store.create(token), token);
    }

    @GetMapping
    List<ApiToken> list(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        return store.listLive().stream().filter(t -> manages(caller, t)).toList();
    }

    /** Who the calling token is and its grants: any authenticated token may ask (docs/api.md). */
    @GetMapping("/self")
    Identity self(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        return new Identity(caller.id(), caller.name(), caller.grants(), caller.expiresAt());
    }

    /** A token may always revoke itself; others only where it is admin for every grant. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID id, HttpServletRequest request) {
        Caller caller = Caller.of(request);
        ApiToken token = store.findLive(id).filter(t -> t.id().toString().equals(caller.id()) || manages(caller, t))
                .orElseThrow(() -> new NotFoundException("no token " + id + " that token " + caller.name() + " manages"));
        store.revoke(token.id());
    }

    private static boolean manages(Caller caller, ApiToken token) {
        return token.grants().stream().allMatch(g -> caller.has(Role.admin, g.namespace()));
    }
}
