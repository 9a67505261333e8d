package dev.nanolet.oci;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A user name and password (or token) for one registry. */
public record RegistryCredentials(String username, String password) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public RegistryCredentials {
        if (username == null || password == null) {
            throw new IllegalArgumentException("registry credentials need a user name and a password");
        }
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "RegistryCredentials[" + username + "]";
    }

    /**
     * The credentials by registry host of a {@code ~/.docker/config.json} or a Kubernetes
     * {@code kubernetes.io/dockerconfigjson} secret ({@code {"auths": {"host": {"auth": base64(user:pass)}}}},
     * or {@code username}/{@code password} fields); hosts are kept as written, without a scheme.
     *
     * @throws IllegalArgumentException if it is not such a document
     */
    public static Map<String, RegistryCredentials> fromDockerConfig(String json) {
        JsonNode auths;
        try {
            JsonNode root = JSON.readTree(json);
            auths = root.has("auths") ? root.get("auths") : root;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a docker config JSON document", e);
        }
        Map<String, RegistryCredentials> out = new LinkedHashMap<>();
        for (var entry : auths.properties()) {
            JsonNode v = entry.getValue();
            String host = entry.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
            if (v.hasNonNull("username") && v.hasNonNull("password")) {
                out.put(host, new RegistryCredentials(v.get("username").asString(), v.get("password").asString()));
            } else if (v.hasNonNull("auth")) {
                String pair = new String(Base64.getDecoder().decode(v.get("auth").asString()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("the auth of " + host + " is not user:password");
                }
                out.put(host, new RegistryCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
            }
        }
        return out;
    }
}
