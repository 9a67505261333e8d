package dev.nanolet.platform.deployment;

import dev.nanolet.platform.ConflictException;

/**
 * The deployment's route moved (another request changed it, or deleted the deployment, so that the write would create it)
 * between the read that found it unchanged and the row lock, while another route write held the routes lock; applying again takes the lock first ({@link DeploymentWriter}).
 */
class RouteMovedException extends ConflictException {
    RouteMovedException(String namespace, String name) {
        super("the route of deployment " + namespace + "/" + name + " was changed, or the deployment deleted, by another"
                + " request while this one was applied; apply again");
    }
}
