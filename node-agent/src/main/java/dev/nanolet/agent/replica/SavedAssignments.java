package dev.nanolet.agent.replica;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.wire.Assignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last desired set the platform sent, kept as JSON in {@code <data-dir>/assignments.json}
 * (replaced atomically on every change, mode 0600), so an agent restarted while platform-api is unreachable
 * can start what it was last told from it. The modules it names are in the module cache by digest.
 * Secret values are never written: they are stripped here, so a replica that needs them waits for the platform
 * after such a restart ({@link Reconciler#restoreSaved()}).
 */
@Component
class SavedAssignments {

    private static final Logger log = LoggerFactory.getLogger(SavedAssignments.class);
    private static final TypeReference<List<Assignment>> LIST = new TypeReference<>() {};
    private final JsonMapper json;
    private final Path file;

    SavedAssignments(JsonMapper json, NodeProperties node) {
        this.json = json;
        this.file = node.dataDir().resolve("assignments.json");
    }

    /** Replaces the saved set; a write that fails is logged and the previous file stays whole. */
    void save(Collection<Assignment> desired) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "assignments", ".part", ownerOnly());
            Files.write(tmp, json.writeValueAsBytes(desired.stream().map(Assignment::withoutSecrets).toList()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | JacksonException e) {
            log.warn("cannot save the assignments to {}: {}", file, e.toString());
        }
    }

    /**
     * Created readable by the agent's user only (it can hold Secret values in Kubernetes mode), asked for rather than
     * left to the JDK's default for temporary files; the move keeps the mode. Nothing to ask on a file system without
     * POSIX permissions.
     */
    private FileAttribute<?>[] ownerOnly() {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    /** The saved set, or empty if there is none or it cannot be read. */
    Optional<List<Assignment>> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), LIST));
        } catch (IOException | JacksonException e) {
            log.warn("ignoring unreadable saved assignments {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
