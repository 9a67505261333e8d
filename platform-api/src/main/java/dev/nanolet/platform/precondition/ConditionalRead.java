package dev.nanolet.platform.precondition;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The {@code If-None-Match} of a read of one secret (RFC 9110, section 13.1.2), for clients that poll:
 * when it names the object's current version — compared weakly, any tag of a list, or {@code *} for any version — the
 * answer is {@code 304 Not Modified} with the {@code ETag} and no body; otherwise the object as without the header. A
 * controller method takes it as a parameter ({@link PreconditionHeaders}) and answers with {@link #answer} once it has
 * read the object, so what comes before a read (the caller's authorization; 404 when there is no such object) comes
 * before the 304 too. Only for an object whose whole answer changes with its resource version: not a deployment, whose
 * answer shows a status computed from its replicas at the read.
 *
 * @param ifNoneMatch null when the read has no {@code If-None-Match}
 */
public record ConditionalRead(EntityTags ifNoneMatch) {
    /** 304 when {@link #ifNoneMatch} names {@code shown}'s version, else 200 with {@code shown} (its ETag from {@link ETagAdvice}). */
    public <T> ResponseEntity<T> answer(T shown) {
        String version = ETagAdvice.versionOf(shown);
        if (ifNoneMatch != null && version != null && ifNoneMatch.matches(version, false)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(EntityTags.of(version)).build();
        }
        return ResponseEntity.ok(shown);
    }
}
