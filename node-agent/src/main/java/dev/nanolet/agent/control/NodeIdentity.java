package dev.nanolet.agent.control;

import dev.nanolet.agent.config.AuthProperties;
import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.logs.LogCallers;
import dev.nanolet.wire.NodeCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * This node's identity towards platform-api: the bootstrap token until it registers, then the
 * credential platform-api issued, kept in {@code <data dir>/node-credential.json} (mode 0600) and
 * used on every call, also after a restart. Also the logs token that platform-api must send to
 * read this node's logs, compared in constant time.
 */
@Component
class NodeIdentity implements LogCallers {
    static final String FILE = "node-credential.json";
    private static final Logger log = LoggerFactory.getLogger(NodeIdentity.class);
    private final Path file;
    private final String name;
    private final String bootstrap;
    private final JsonMapper json;
    private volatile NodeCredential issued;

    NodeIdentity(NodeProperties node, AuthProperties auth, JsonMapper json) {
        this.file = node.dataDir().resolve(FILE);
        this.name = node.name();
        this.bootstrap = auth.nodeToken();
        this.json = json;
        this.issued = load();
    }

    private NodeCredential load() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            NodeCredential c = json.readValue(Files.readString(file), NodeCredential.class);
            if (name.equals(c.name()) && c.token() != null) {
                return c;
            }
            log.warn("{} holds the credential of node {}, not {}; registering anew", file, c.name(), name);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read {} ({}); registering anew", file, e.getMessage());
        }
        return null;
    }

    /** Whether platform-api issued this node a credential. */
    boolean hasCredential() {
        return issued != null;
    }

    /** What to send as Bearer: the issued credential, else the bootstrap token. */
    String bearer() {
        NodeCredential c = issued;
        return c != null ? c.token() : bootstrap;
    }

    String bootstrapToken() {
        return bootstrap;
    }

    /** Keeps a newly issued credential: written to a 0600 file first, then used. */
    void save(NodeCredential credential) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
                Files.createFile(tmp);
            }
            Files.writeString(tmp, json.writeValueAsString(credential), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("platform-api issued node {} its credential; kept in {}", credential.name(), file);
        } catch (IOException e) {
            log.error("cannot keep the node credential in {} ({}): it is used until this agent stops; after a restart"
                    + " an admin must delete node {} (DELETE /api/v1/nodes/{}) before it can register again",
                    file, e.getMessage(), credential.name(), credential.name());
        }
        issued = credential;
    }

    @Override
    public boolean accepts(String authorization) {
        NodeCredential c = issued;
        if (c == null || c.logsToken() == null || authorization == null) {
            return false;
        }
        return MessageDigest.isEqual(("Bearer " + c.logsToken()).getBytes(StandardCharsets.UTF_8),
                authorization.getBytes(StandardCharsets.UTF_8));
    }
}
