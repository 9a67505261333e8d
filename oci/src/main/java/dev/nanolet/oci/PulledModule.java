package dev.nanolet.oci;

/**
 * A Wasm module pulled from a registry.
 *
 * @param reference as asked for, for example {@code registry.example:5000/team/hello:1.0}
 * @param repository the reference without tag or digest
 * @param manifestDigest the digest the reference resolved to ({@code imageID} is {@code repository@manifestDigest})
 * @param digest the module's content address ({@code sha256:} of its bytes, verified against its layer descriptor)
 * @param bytes the module
 */
public record PulledModule(String reference, String repository, String manifestDigest, String digest, byte[] bytes) {

    /** What Kubernetes shows as a container's {@code imageID}. */
    public String imageId() {
        return repository + "@" + manifestDigest;
    }
}
