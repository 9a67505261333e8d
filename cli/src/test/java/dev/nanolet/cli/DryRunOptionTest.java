package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shared {@code --dry-run}; that the server then writes nothing is CliE2eTest's, against a real platform-api. */
class DryRunOptionTest {
    static final String[] NO_SERVER = {"--server", "http://127.0.0.1:9", "--token", "t"};

    static DryRunOption of(boolean dryRun) {
        DryRunOption o = new DryRunOption();
        o.dryRun = dryRun;
        return o;
    }

    static int run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + NO_SERVER.length);
        System.arraycopy(NO_SERVER, 0, all, args.length, NO_SERVER.length);
        return Main.run(all);
    }

    @Test
    void addsDryRunAllToThePathsQueryOnlyWhenAsked() {
        assertThat(of(true).path("/api/v1/namespaces/ci/deployments/web/scale")).isEqualTo("/api/v1/namespaces/ci/deployments/web/scale?dryRun=All");
        assertThat(of(true).path("/api/v1/apply?prune=true&selector=app%3Dshop")).isEqualTo("/api/v1/apply?prune=true&selector=app%3Dshop&dryRun=All");
        assertThat(of(false).path("/api/v1/apply?wait=true")).isEqualTo("/api/v1/apply?wait=true");
    }

    /**
     * A {@code #} in a name or namespace would start the URI's fragment, and the request would go without the query:
     * {@code delete deployment 'web#' --dry-run} a real DELETE of {@code web}. Each is one encoded segment instead.
     */
    @Test
    void aNameOrNamespaceCannotCutTheDryRunQueryOff() {
        Global global = new Global();
        global.namespace = "ci#/x";
        for (String name : new String[] {"web#", "web#?dryRun=None", "web?x=1#", "../web", "w%23b", "wéb"}) {
            URI uri = URI.create("http://127.0.0.1" + of(true).path(RolloutCommand.path(global, name)));
            assertThat(uri.getRawFragment()).as(name).isNull();
            assertThat(uri.getRawQuery()).as(name).isEqualTo(DryRunOption.PARAMETER);
            assertThat(uri.getRawPath().split("/")).as(name).hasSize(7).endsWith(Api.segment(name));
            assertThat(uri.getPath()).as(name).isEqualTo("/api/v1/namespaces/ci#/x/deployments/" + name);
        }
        assertThat(RolloutCommand.path(global, "web-1")).as("a valid name as it was").endsWith("/deployments/web-1");
    }

    @Test
    void saysWhatWouldHappen() {
        assertThat(DryRunOption.said(true, "deployment ci/web", "deleted")).isEqualTo("deployment ci/web would be deleted");
        assertThat(DryRunOption.said(false, "deployment ci/web", "deleted")).isEqualTo("deployment ci/web deleted");
    }

    /** Exit 4 (the server was called) rather than 2 (bad usage): each of these writes takes --dry-run. */
    @Test
    void scaleUndoDeleteAndApplyTakeDryRun() {
        assertThat(run("delete", "secret", "db", "--dry-run")).isEqualTo(CliException.UNREACHABLE);
        assertThat(run("scale", "web", "--replicas", "2", "--dry-run")).isEqualTo(CliException.UNREACHABLE);
        assertThat(run("rollout", "undo", "web", "--to-revision", "1", "--dry-run")).isEqualTo(CliException.UNREACHABLE);
        assertThat(run("delete", "deployment", "web", "--dry-run")).isEqualTo(CliException.UNREACHABLE);
    }

    /** The server has no dry run for a module's delete: refused before anything is sent, never sent as a real delete. */
    @Test
    void deletingAModuleWithDryRunIsBadUsageBeforeAnythingIsSent() {
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("delete", "module", "sha256:00", "--dry-run")).isEqualTo(CliException.USAGE);
        } finally {
            System.setErr(err);
        }
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("--dry-run: the server has no dry run for deleting a module; nothing was sent");
        assertThat(run("delete", "modules", "sha256:00", "--dry-run")).isEqualTo(CliException.USAGE);
        assertThat(run("delete", "module", "sha256:00")).as("without --dry-run it is sent").isEqualTo(CliException.UNREACHABLE);
    }
}
