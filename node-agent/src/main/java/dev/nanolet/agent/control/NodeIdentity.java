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
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * This node's identity towards platform-api: the bootstrap token until it registers, then its own
 * credential, kept in {@code <data dir>/node-credential.json} (mode 0600) and used on every call,
 * also after a restart. The node generates that credential itself (256 random bits) and keeps it
 * before it registers with it, so a registration whose answer was lost is retried with the same one
 * and answered again (docs/node-protocol.md). Also the logs token that platform-api must send to
 * read this node's logs, compared in constant time.
 */
@Component
class NodeIdentity implements LogCallers {
    static final String FILE = "node-credential.json";
    private static final String PREFIX = "nlt_node_";
    private static final Pattern FORM = Pattern.compile("^" + PREFIX + "[A-Za-z0-9_-]{43}$");
    private static final Logger log = LoggerFactory.getLogger(NodeIdentity.class);
    private final SecureRandom random = new SecureRandom();
    private final Path file;
    private final String name;
    private final String bootstrap;
    private final JsonMapper json;
    /** The credential platform-api confirmed (with the logs token), else null. */
    private volatile NodeCredential issued;
    /** The credential this node generated and kept but has not yet seen confirmed, else null. */
    private volatile String pending;

    NodeIdentity(NodeProperties node, AuthProperties auth, JsonMapper json) {
        this.file = node.dataDir().resolve(FILE);
        this.name = node.name();
        this.bootstrap = auth.nodeToken();
        this.json = json;
        NodeCredential kept = load();
        if (kept != null && kept.logsToken() != null) {
            this.issued = kept;
        } else if (kept != null && FORM.matcher(kept.token()).matches()) {
            this.pending = kept.token();
        }
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

    /** Whether platform-api confirmed this node's credential. */
    boolean hasCredential() {
        return issued != null;
    }

    /** What to send as Bearer: the confirmed credential, else the bootstrap token. */
    String bearer() {
        NodeCredential c = issued;
        return c != null ? c.token() : bootstrap;
    }

    String bootstrapToken() {
        return bootstrap;
    }

    /**
     * The credential to register with (bootstrap token): the one kept from an earlier attempt, else
     * a new one — 256 random bits, written to the 0600 file before it is ever sent.
     */
    synchronized String ownCredential() {
        if (pending == null) {
            byte[] bits = new byte[32];
            random.nextBytes(bits);
            String fresh = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
            write(new NodeCredential(name, fresh, null, null));
            pending = fresh;
        }
        return pending;
    }

    /** Platform-api no longer knows the confirmed credential (an admin deleted the node): the next registration brings a new one. */
    synchronized void revoked() {
        issued = null;
        pending = null;
    }

    /** Keeps the credential platform-api answered to a registration: written to the 0600 file first, then used. */
    synchronized void save(NodeCredential credential) {
        if (write(credential)) {
            log.info("platform-api registered node {} with its credential; kept in {}", credential.name(), file);
        }
        issued = credential;
        pending = null;
    }

    private boolean write(NodeCredential credential) {
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
            return true;
        } catch (IOException e) {
            log.error("cannot keep the node credential in {} ({}): it is used until this agent stops; after a restart"
                    + " an admin must delete node {} (DELETE /api/v1/nodes/{}) before it can register again",
                    file, e.getMessage(), credential.name(), credential.name());
            return false;
        }
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
