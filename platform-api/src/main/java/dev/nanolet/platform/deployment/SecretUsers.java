package dev.nanolet.platform.deployment;

import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The deployments that take values from a secret, for the secret package (in its transaction). */
@Component
public class SecretUsers {
    private final DeploymentRepository deployments;
    private final DeploymentWriter writer;
    private final DeploymentRows rows;
    private final SpecJson specJson;

    SecretUsers(DeploymentRepository deployments, DeploymentWriter writer, DeploymentRows rows, SpecJson specJson) {
        this.deployments = deployments;
        this.writer = writer;
        this.rows = rows;
        this.specJson = specJson;
    }

    /** Names of the live deployments of {@code namespace} whose secret env or bindings name {@code secret}, sorted. */
    @Transactional(readOnly = true)
    public List<String> using(String namespace, String secret) {
        return users(namespace, secret, spec -> uses(spec, secret));
    }

    /**
     * Rolls out every HTTP deployment that uses {@code secret} (a new revision of the same spec), so its new replicas get
     * the new values; jobs are left to finish (their next revision gets them). Locks all their rows first, in one pass
     * ({@link DeploymentRows}); the caller holds the secret's row lock, so no deployment starts using it meanwhile.
     */
    @Transactional
    public void restartUsing(String namespace, String secret, long version) {
        List<String> names = rolledOut(namespace, secret);
        rows.lock(names.stream().map(name -> new DeploymentRows.Key(namespace, name)).toList());
        for (String name : names) {
            writer.restartIf(namespace, name, spec -> rollsOut(spec, secret), "secret " + secret + " changed to version " + version);
        }
    }

    /** Names of the live deployments a change of {@code secret} rolls out ({@link #restartUsing}), read without a lock. */
    List<String> rolledOut(String namespace, String secret) {
        return users(namespace, secret, spec -> rollsOut(spec, secret));
    }

    private List<String> users(String namespace, String secret, Predicate<DeploymentSpec> using) {
        return deployments.liveSpecsInNamespace(namespace).stream()
                .filter(row -> using.test(specJson.read((String) row[1]))).map(row -> (String) row[0]).toList();
    }

    private static boolean rollsOut(DeploymentSpec spec, String secret) {
        return uses(spec, secret) && spec.servesHttp();
    }

    static boolean uses(DeploymentSpec spec, String secret) {
        return SecretRefs.names(spec).contains(secret);
    }
}
