package dev.nanolet.cli;

import dev.nanolet.wire.Grant;
import dev.nanolet.wire.IssuedToken;
import dev.nanolet.wire.Role;
import dev.nanolet.wire.TokenRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code tokens list|create|revoke}. */
@Command(name = "tokens", description = "List, create and revoke API tokens.",
        subcommands = {TokensCommand.ListTokens.class, TokensCommand.Create.class, TokensCommand.Revoke.class})
final class TokensCommand {
    private TokensCommand() {}

    @Command(name = "list", description = "The tokens you manage (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin Global global;

        @Override
        public Integer call() {
            var c = Output.columns();
            c.put("ID", t -> t.path("id").asString());
            c.put("NAME", t -> t.path("name").asString());
            c.put("GRANTS", t -> t.path("grants").valueStream().map(TokensCommand::grant).toList().toString());
            c.put("EXPIRES", t -> t.path("expiresAt").asString("never"));
            c.put("LAST USED", t -> t.path("lastUsedAt").asString("never"));
            global.out().print(global.api().list("/api/v1/tokens"), c);
            return 0;
        }
    }

    /**
     * A grant as {@code ROLE@NAMESPACE}, {@code ROLE@*} cluster-wide (a null or no namespace): a missing role is {@code ?} and
     * an empty namespace {@code ""}, where such a grant showed as {@code @} or {@code viewer@}, as if nothing were named; a
     * namespace that is no text, as its JSON, never as {@code *}.
     */
    static String grant(JsonNode grant) {
        JsonNode namespace = grant.path("namespace");
        String role = grant.path("role").asString("");
        String in = namespace.isNull() || namespace.isMissingNode() ? "*" : !namespace.isString() ? namespace.toString()
                : namespace.asString().isEmpty() ? "\"\"" : namespace.asString();
        return (role.isEmpty() ? "?" : role) + "@" + in;
    }

    @Command(name = "create", description = "Create a token; prints its secret, shown this once.")
    static final class Create implements Callable<Integer> {
        @Mixin Global global;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--role", required = true, description = "viewer, deployer or admin") Role role;
        @Option(names = "--cluster-wide", description = "grant the role in every namespace instead of -n's") boolean clusterWide;
        @Option(names = "--expires-in-seconds", description = "the token ends this many seconds after it is made (1 to 10 years' worth); without it, it never ends") Long expires;

        @Override
        public Integer call() {
            TokenRequest request = new TokenRequest(name, List.of(new Grant(role, clusterWide ? null : global.namespace())), expires);
            IssuedToken issued = Api.JSON.treeToValue(global.api().json("POST", "/api/v1/tokens", request), IssuedToken.class);
            if (global.output == Output.Format.table) {
                Output.progress("token " + issued.info().id() + " (" + issued.info().grants().getFirst() + "); the secret follows, shown once");
                System.out.println(issued.token());
            } else {
                global.out().print(Api.JSON.valueToTree(issued), Output.columns());
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by id.")
    static final class Revoke implements Callable<Integer> {
        @Mixin Global global;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            global.api().json("DELETE", Api.path("tokens", id), null);
            Output.progress("revoked token " + id);
            return 0;
        }
    }
}
