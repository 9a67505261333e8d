package dev.nanolet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where and as whom the CLI talks: flags, else {@code NANOLET_SERVER}/{@code NANOLET_TOKEN}/
 * {@code NANOLET_NAMESPACE}, else the file {@code login} writes ({@code $NANOLET_CONFIG}, default
 * {@code ~/.nanolet/config.json}, readable by its owner only).
 */
record Config(String server, String token, String namespace) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Path file() {
        String configured = System.getenv("NANOLET_CONFIG");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".nanolet", "config.json");
    }

    static Config load() {
        Config saved = new Config(null, null, null);
        Path file = file();
        if (Files.isRegularFile(file)) {
            try {
                saved = JSON.readValue(file.toFile(), Config.class);
            } catch (RuntimeException e) {
                throw new CliException(CliException.USAGE, "cannot read " + file + ": run nanolet login again");
            }
        }
        return saved.with(System.getenv("NANOLET_SERVER"), System.getenv("NANOLET_TOKEN"), System.getenv("NANOLET_NAMESPACE"));
    }

    /** This config with each non-null argument taking precedence. */
    Config with(String server, String token, String namespace) {
        return new Config(server != null ? server : this.server, token != null ? token : this.token,
                namespace != null ? namespace : this.namespace);
    }

    @Override
    public String namespace() {
        return namespace == null ? "default" : namespace;
    }

    void save() {
        Path file = file();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(Map.of("server", server, "token", token, "namespace", namespace())));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the platform's defaults apply
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
