package dev.nanolet.platform.secret;

import dev.nanolet.platform.audit.Written;
import dev.nanolet.platform.dryrun.DryRun;
import dev.nanolet.platform.precondition.ConditionalRead;
import dev.nanolet.platform.precondition.Precondition;
import dev.nanolet.wire.Secret;
import dev.nanolet.wire.SecretData;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/namespaces/{ns}/secrets[/{name}]}: write (PUT, the whole data), read metadata, list and delete
 * secrets; no answer ever holds a value. PUT and DELETE may be conditional ({@link Precondition}: {@code If-Match},
 * {@code If-None-Match: *}), and so may a read of one ({@link ConditionalRead}: {@code If-None-Match}, 304); an answer
 * that shows one secret carries its {@code ETag}. {@code POST /api/v1/secrets:rotate} re-seals every secret under the current key.
 */
@RestController
class SecretApi {
    static final String ONE = "/api/v1/namespaces/{namespace}/secrets/{name}";

    private final Secrets secrets;
    private final SecretRotation rotation;

    SecretApi(Secrets secrets, SecretRotation rotation) {
        this.secrets = secrets;
        this.rotation = rotation;
    }

    /**
     * 201 when created, 200 when replaced (the version rises only if the data changed); {@code dryRun=All} answers the
     * same, writing nothing.
     */
    @PutMapping(ONE)
    ResponseEntity<Secret> put(@PathVariable String namespace, @PathVariable String name,
            @RequestBody(required = false) SecretData body, @RequestParam(required = false) String dryRun,
            Precondition precondition, HttpServletRequest request) {
        Map<String, String> data = body == null ? null : body.data();
        Secrets.Written written = DryRun.requested(dryRun, request) ? secrets.wouldPut(namespace, name, data, precondition)
                : secrets.put(namespace, name, data, precondition);
        return ResponseEntity.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK).body(written.secret());
    }

    /** The secret's metadata; 304 without a body when {@code If-None-Match} names its version ({@link ConditionalRead}). */
    @GetMapping(ONE)
    ResponseEntity<Secret> get(@PathVariable String namespace, @PathVariable String name, ConditionalRead read) {
        return read.answer(secrets.get(namespace, name));
    }

    @GetMapping("/api/v1/namespaces/{namespace}/secrets")
    List<Secret> list(@PathVariable String namespace) {
        return secrets.list(namespace);
    }

    /** 204; {@code dryRun=All} answers the same, or the delete's 404, 412 or 409, deleting nothing. */
    @DeleteMapping(ONE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String namespace, @PathVariable String name, @RequestParam(required = false) String dryRun,
            Precondition precondition, HttpServletRequest request) {
        DryRun.either(dryRun, request, () -> secrets.wouldDelete(namespace, name, precondition),
                () -> secrets.delete(namespace, name, precondition));
    }

    /**
     * Re-seals every secret still under another key; answers how many were re-sealed and how many remain. A batch
     * re-sealed stays so when a later one fails: the audit entry's {@code written} says so ({@link Written}).
     */
    @PostMapping("/api/v1/secrets:rotate")
    SecretRotation.Result rotate(HttpServletRequest request) {
        return rotation.rotateAll(() -> Written.mark(request, 200));
    }
}
