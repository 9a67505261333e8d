package dev.nanolet.ui.deployments;

import java.util.Optional;

/**
 * The module name an uploaded file gives: its name without {@code .wasm}, checked as platform-api checks a module's name
 * (1 to 253 characters, not blank, no control character) before anything is sent. A browser escapes a line break in a
 * file's name, a script does not ({@code filename*=UTF-8''a%0D%0Ab.wasm} is read back as one): sent on, it would go as it
 * is into the {@code Content-Disposition} header of the part admin-ui sends platform-api, and start headers of its own.
 */
record UploadName(String name) {
    static final int MAX_LENGTH = 253;

    static UploadName of(String filename) {
        return new UploadName(filename.replaceFirst("(?i)\\.wasm$", ""));
    }

    /** Why platform-api would refuse this name, or nothing. */
    Optional<String> problem() {
        if (name.isBlank() || name.length() > MAX_LENGTH) {
            return Optional.of("must be 1 to " + MAX_LENGTH + " characters");
        }
        return name.chars().anyMatch(Character::isISOControl) ? Optional.of("must not contain control characters") : Optional.empty();
    }
}
