package dev.nanolet.platform.deployment;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.module.ModuleRegistry;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What every apply, dry run and diff checks of a spec before anything else: the spec's own rules
 * ({@link SpecValidator}, its module uploaded), then what it takes from secrets ({@link SecretRefs}); 422 naming each
 * field at fault.
 */
@Component
class SpecChecks {
    private final ModuleRegistry modules;
    private final DeploymentProperties properties;
    private final SecretCatalog secrets;

    SpecChecks(ModuleRegistry modules, DeploymentProperties properties, SecretCatalog secrets) {
        this.modules = modules;
        this.properties = properties;
        this.secrets = secrets;
    }

    /**
     * {@code spec} checked, as it would be stored ({@link RouteOwnership#canonical}). {@code lockSecrets}: share-locks
     * the secrets it references, in name order, so they cannot be deleted under a write ({@link SecretCatalog}).
     */
    DeploymentSpec checked(String namespace, String name, DeploymentSpec spec, boolean lockSecrets) {
        List<FieldError> errors = new ArrayList<>(SpecValidator.validate(namespace, name, spec, modules::exists, properties.maxReplicas()));
        if (spec != null && SpecValidator.DNS_LABEL.matcher(String.valueOf(namespace)).matches()) {
            errors.addAll(SecretRefs.validate(spec, secret -> secrets.keys(namespace, secret, lockSecrets)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return RouteOwnership.canonical(spec);
    }
}
