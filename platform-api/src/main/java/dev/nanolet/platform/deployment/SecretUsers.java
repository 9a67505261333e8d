package dev.nanolet.platform.deployment;

import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The deployments that take values from a secret, for the secret package (in its transaction). */
@Component
public class SecretUsers {
    private final DeploymentRepository deployments;
    private final DeploymentWriter writer;
    private final SpecJson specJson;

    SecretUsers(DeploymentRepository deployments, DeploymentWriter writer, SpecJson specJson) {
        this.deployments = deployments;
        this.writer = writer;
        this.specJson = specJson;
    }

    /** Names of the live deployments of {@code namespace} whose secret env or bindings name {@code secret}, sorted. */
    @Transactional(readOnly = true)
    public List<String> using(String namespace, String secret) {
        return users(namespace, secret);
    }

    /**
     * Rolls out every HTTP deployment that uses {@code secret} (a new revision of the same spec), so its new replicas get
     * the new values; jobs are left to finish (their next revision gets them). Locks deployments in name order.
     */
    @Transactional
    public void restartUsing(String namespace, String secret, long version) {
        for (String name : users(namespace, secret)) {
            writer.restartIf(namespace, name, spec -> uses(spec, secret) && spec.servesHttp(),
                    "secret " + secret + " changed to version " + version);
        }
    }

    private List<String> users(String namespace, String secret) {
        return deployments.liveSpecsInNamespace(namespace).stream()
                .filter(row -> uses(specJson.read((String) row[1]), secret)).map(row -> (String) row[0]).toList();
    }

    static boolean uses(DeploymentSpec spec, String secret) {
        return SecretRefs.names(spec).contains(secret);
    }
}
