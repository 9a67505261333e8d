package dev.nanolet.platform.token;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.TokenRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a token create request, naming every field at fault at once (422). */
final class TokenRules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,63}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    static final long MAX_LIFETIME_SECONDS = 10L * 366 * 24 * 3600;

    private TokenRules() {}

    static void validate(TokenRequest body) {
        if (body == null) {
            throw new InvalidInputException("name", "a body {name, grants, expiresInSeconds} is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (body.name() == null || !NAME.matcher(body.name()).matches()) {
            errors.add(new FieldError("name", "must be 1 to 63 letters, digits, '.', '_' or '-'"));
        }
        if (body.grants().isEmpty()) {
            errors.add(new FieldError("grants", "at least one grant {role, namespace} is required"));
        }
        for (int i = 0; i < body.grants().size(); i++) {
            Grant g = body.grants().get(i);
            if (g == null || g.role() == null) {
                errors.add(new FieldError("grants[" + i + "].role", "is required: viewer, deployer or admin"));
            } else if (g.namespace() != null && !LABEL.matcher(g.namespace()).matches()) {
                errors.add(new FieldError("grants[" + i + "].namespace", "must be a DNS-1123 label, or absent for cluster-wide"));
            }
        }
        Long seconds = body.expiresInSeconds();
        if (seconds != null && (seconds < 1 || seconds > MAX_LIFETIME_SECONDS)) {
            errors.add(new FieldError("expiresInSeconds", "must be between 1 and " + MAX_LIFETIME_SECONDS));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
