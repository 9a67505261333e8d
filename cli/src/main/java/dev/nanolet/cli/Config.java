package dev.nanolet.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where and as whom the CLI talks: flags, else {@code NANOLET_SERVER}/{@code NANOLET_TOKEN}/
 * {@code NANOLET_NAMESPACE}, else the file {@code login} writes ({@code $NANOLET_CONFIG}, default
 * {@code ~/.nanolet/config.json}, readable by its owner only). Without that file and without
 * {@code NANOLET_TOKEN}, the admin token {@code ./nanolet up} wrote is used
 * ({@code $NANOLET_TOKEN_FILE}, default {@code .nanolet/admin-token} in the working directory), with
 * the server {@code http://localhost:$NANOLET_API_PORT} (8090) unless {@code NANOLET_SERVER} says otherwise.
 */
record Config(String server, String token, String namespace) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The server and token without the whitespace around them, which neither can hold: a secret mounted as
     * {@code NANOLET_TOKEN} or {@code NANOLET_SERVER} often keeps its file's trailing newline, which made every command
     * fail (and login saved it).
     */
    Config {
        server = server == null ? null : server.strip();
        token = token == null ? null : token.strip();
    }

    static Path file() {
        return file(System.getenv());
    }

    private static Path file(Map<String, String> env) {
        String configured = env.get("NANOLET_CONFIG");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".nanolet", "config.json");
    }

    static Config load() {
        return load(System.getenv(), Path.of("").toAbsolutePath());
    }

    static Config load(Map<String, String> env, Path workingDirectory) {
        Config saved = new Config(null, null, null);
        Path file = file(env);
        // (passed over as no config, either made the command the local platform's admin; a pipe, NANOLET_CONFIG=<(…), is not
        // read either, as a command loads its config more than once)
        String unread = Files.isDirectory(file) ? "it is a directory"
                : Stdout.isPipe(file) ? "it is a pipe, which the CLI would read more than once; name a file" : null;
        if (unread != null) {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": " + unread);
        }
        if (Files.isRegularFile(file)) {
            try {
                saved = JSON.readValue(file.toFile(), Config.class);
            } catch (RuntimeException e) {
                throw new CliException(CliException.USAGE, "cannot read " + file + ": remove it, then run nanolet login again"
                        + " (login reads it too)");
            }
        } else if (env.get("NANOLET_TOKEN") == null) {
            saved = local(env, workingDirectory);
        }
        return saved.with(env.get("NANOLET_SERVER"), env.get("NANOLET_TOKEN"), env.get("NANOLET_NAMESPACE"));
    }

    /** The local platform {@code ./nanolet up} started, if its admin token is there. */
    private static Config local(Map<String, String> env, Path workingDirectory) {
        String tokenFile = env.get("NANOLET_TOKEN_FILE");
        Path path = tokenFile != null ? Path.of(tokenFile) : workingDirectory.resolve(".nanolet").resolve("admin-token");
        if (!Files.isRegularFile(path)) {
            return new Config(null, null, null);
        }
        try {
            String token = Files.readString(path).strip();
            String port = env.getOrDefault("NANOLET_API_PORT", "8090");
            return new Config("http://localhost:" + port, token.isEmpty() ? null : token, null);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot read " + path + ": " + e.getMessage());
        }
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
        save(file());
    }

    /** Writes this config to {@code file}; one that cannot be written is bad usage (exit 2), said as a read error is. */
    void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) { // (NANOLET_CONFIG=/ has none: createDirectories(null) threw a NullPointerException, exit 1)
                Files.createDirectories(parent);
            }
            Files.writeString(file, JSON.writeValueAsString(Map.of("server", server, "token", token, "namespace", namespace())));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the platform's defaults apply
            }
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot write " + file + ": " + (e instanceof FileAlreadyExistsException parent
                    ? parent.getFile() + " is not a directory" : ReadErrors.reason(file, e)));
        }
    }
}
