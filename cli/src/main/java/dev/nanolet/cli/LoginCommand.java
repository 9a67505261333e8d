package dev.nanolet.cli;

import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Checks the server and token, then saves them and the namespace for later commands: the one {@code -n} or
 * {@code NANOLET_NAMESPACE} names, else the token's own if its grants name exactly one, else as before.
 */
@Command(name = "login", description = "Check --server and --token and save them in ~/.nanolet/config.json ($NANOLET_CONFIG), "
        + "with -n's namespace, else the token's if its grants name only one.")
final class LoginCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Override
    public Integer call() {
        Config config = global.config();
        Api api = new Api(config);
        api.get("/api/v1/modules");
        if (global.namespace == null && System.getenv("NANOLET_NAMESPACE") == null) {
            config = ofGrants(config, self(api));
        }
        config.save();
        Output.progress("logged in to " + config.server() + " (namespace " + config.namespace() + "); saved in " + Config.file());
        return 0;
    }

    /**
     * The token's {@code GET /tokens/self}, or nothing when the server will not say (a platform-api from before it, an
     * error, an answer that is not JSON): the token already passed {@code GET /modules}, so the login stands without it.
     */
    private static JsonNode self(Api api) {
        try {
            return api.get("/api/v1/tokens/self");
        } catch (CliException | JacksonException e) {
            return Api.JSON.missingNode();
        }
    }

    /**
     * {@code config} in the one namespace {@code self}'s grants name; a token granted in several or cluster-wide keeps
     * {@code config}'s, and stderr says which it may use and how to pick one. One that is no {@link Api#isName name} (a
     * hostile or broken server's {@code ""} or {@code ..}) is not saved, as {@code -n} refuses it: {@code config}'s stays,
     * and stderr says why.
     */
    static Config ofGrants(Config config, JsonNode self) {
        TreeSet<String> namespaces = new TreeSet<>();
        boolean clusterWide = false;
        for (JsonNode grant : self.path("grants")) {
            if (grant.path("namespace").isString()) {
                namespaces.add(grant.path("namespace").asString());
            } else {
                clusterWide = true;
            }
        }
        if (!clusterWide && namespaces.size() == 1 && !Api.isName(namespaces.first())) {
            Output.progress("the server says the token's namespace is '" + Excerpt.line(namespaces.first()) + "', which is not a name; saving namespace "
                    + config.namespace() + ": pick another with nanolet login -n NAMESPACE, or -n on each command");
            return config; // what -n is refused: every later command would refuse the saved login's (exit 2)
        }
        if (!clusterWide && namespaces.size() == 1) {
            return config.with(null, null, namespaces.first());
        }
        if (!clusterWide && namespaces.isEmpty()) {
            return config; // the grants were not read: nothing to say about them
        }
        Output.progress((clusterWide ? "the token may use every namespace" : "the token may use namespaces " + String.join(", ", namespaces))
                + "; saving namespace " + config.namespace() + ": pick another with nanolet login -n NAMESPACE, or -n on each command");
        return config;
    }
}
