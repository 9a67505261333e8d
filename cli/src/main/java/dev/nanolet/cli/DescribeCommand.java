package dev.nanolet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code describe deployment|node|module NAME}: the whole object; for a deployment also its replicas and latest events. */
@Command(name = "describe", description = "Show one deployment (with replicas and events), node or module in full.")
final class DescribeCommand implements Callable<Integer> {
    enum Kind { deployment, deployments, node, nodes, module, modules }

    @Mixin
    Global global;

    @Parameters(index = "0", paramLabel = "KIND")
    Kind kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        Api api = global.api();
        Output yaml = new Output(global.output == Output.Format.json ? Output.Format.json : Output.Format.yaml);
        switch (kind) {
            case deployment, deployments -> {
                String path = RolloutCommand.path(global, name);
                JsonNode d = api.one(path, "name");
                var all = Api.JSON.createObjectNode();
                all.set("deployment", d);
                all.set("replicas", api.list(path + "/replicas"));
                all.set("events", api.list(path + "/events?limit=20"));
                yaml.print(all, Output.columns());
            }
            case node, nodes -> yaml.print(api.one(Api.path("nodes", name), "name"), Output.columns());
            case module, modules -> yaml.print(api.one(Api.path("modules", name), "digest"), Output.columns());
        }
        return 0;
    }
}
