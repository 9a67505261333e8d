package dev.nanolet.platform.node;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.NodeRegistration;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What a registration must satisfy; every violation is reported at once. */
final class NodeRegistrationRules {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");

    private NodeRegistrationRules() {}

    static void check(NodeRegistration r) {
        List<FieldError> errors = new ArrayList<>();
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "must be a DNS name: lowercase letters, digits, '-' and '.'"));
        }
        if (r.capacity() == null) {
            errors.add(new FieldError("capacity", "is required"));
        } else {
            if (r.capacity().instances() < 0) {
                errors.add(new FieldError("capacity.instances", "must not be negative"));
            }
            if (r.capacity().memoryMiB() < 0) {
                errors.add(new FieldError("capacity.memoryMiB", "must not be negative"));
            }
        }
        if (!isHttpUrl(r.address())) {
            errors.add(new FieldError("address", "must be an http(s) URL such as http://host:8181"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static boolean isHttpUrl(String address) {
        try {
            URI uri = address == null ? null : URI.create(address);
            return uri != null && uri.getHost() != null
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
