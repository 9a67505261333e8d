package dev.nanolet.ui.web;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentStatus;
import org.springframework.stereotype.Component;

/** The one-word health of a deployment, from its computed conditions: {@code ${@badges.of(d)}}. */
@Component("badges")
public class Badges {

    /** How a deployment is doing. */
    public enum Health { Available, Progressing, Failing }

    public Health of(Deployment deployment) {
        DeploymentStatus status = deployment.status();
        if (status == null) {
            return Health.Progressing;
        }
        if (isTrue(status, "Progressing") && status.available() < status.replicas()) {
            return Health.Progressing;
        }
        if (isTrue(status, "Available") || status.replicas() == 0) {
            return Health.Available;
        }
        return isFalse(status, "Progressing") ? Health.Failing : Health.Progressing;
    }

    private static boolean isTrue(DeploymentStatus status, String type) {
        return status.conditions().stream().anyMatch(c -> type.equals(c.type()) && "True".equals(c.status()));
    }

    private static boolean isFalse(DeploymentStatus status, String type) {
        return status.conditions().stream().anyMatch(c -> type.equals(c.type()) && "False".equals(c.status()));
    }
}
