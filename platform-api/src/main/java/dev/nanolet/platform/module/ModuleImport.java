package dev.nanolet.platform.module;

import dev.nanolet.oci.OciModules;
import dev.nanolet.oci.OciPullException;
import dev.nanolet.oci.PullPolicy;
import dev.nanolet.oci.PulledModule;
import dev.nanolet.oci.RegistryCredentials;
import dev.nanolet.platform.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/v1/modules {"image": "registry/repository:tag"}}: pulls a Wasm artifact from one of
 * the registries an operator allowed ({@link ModuleProperties#importRegistries()}), with the
 * credentials of {@code NANOLET_REGISTRY_CONFIG}, and stores it like an upload, recording the
 * reference and the manifest digest. Any pull failure is the caller's 422 with the reason.
 */
@Component
class ModuleImport {

    private final ModuleProperties props;
    private final OciModules oci;

    ModuleImport(ModuleProperties props) {
        this.props = props;
        this.oci = new OciModules(props.cacheDir(), props.insecureRegistries(), props.maxSize().toBytes(), props.importTimeout());
    }

    /** The body of an import. */
    record Request(String image, String name) {}

    /** The module's bytes on disk, with where they came from. */
    record Imported(ModuleUpload upload, PulledModule pulled) {}

    Imported pull(String image) {
        if (image == null || image.isBlank() || image.length() > 512) {
            throw new InvalidInputException("image", "must be an image reference such as registry.example/team/hello:1.0");
        }
        String registry;
        try {
            registry = OciModules.registryOf(image.trim());
        } catch (OciPullException e) {
            throw new InvalidInputException("image", e.getMessage());
        }
        if (!props.importRegistries().contains(registry)) {
            throw new InvalidInputException("image", props.importRegistries().isEmpty()
                    ? "importing from registries is off: an operator allows registries with NANOLET_IMPORT_REGISTRIES"
                    : "registry " + registry + " is not one imports may use (" + String.join(", ", props.importRegistries()) + ")");
        }
        PulledModule pulled;
        try {
            pulled = oci.pull(image.trim(), credentials().get(registry), PullPolicy.Always);
        } catch (OciPullException e) {
            throw new InvalidInputException("image", e.getMessage());
        }
        return new Imported(ModuleUpload.receive(new ByteArrayInputStream(pulled.bytes()), props.maxSize().toBytes()), pulled);
    }

    private Map<String, RegistryCredentials> credentials() {
        if (props.registryConfig() == null) {
            return Map.of();
        }
        try {
            return RegistryCredentials.fromDockerConfig(Files.readString(props.registryConfig()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read NANOLET_REGISTRY_CONFIG " + props.registryConfig(), e);
        }
    }
}
