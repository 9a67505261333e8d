package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PruneOptionTest {
    static PruneOption of(boolean prune, String selector) {
        PruneOption o = new PruneOption();
        o.prune = prune;
        o.selector = selector;
        return o;
    }

    @Test
    void buildsTheQueryWithAnEncodedSelector() {
        assertThat(of(true, "app=shop,tier=web").query("&")).isEqualTo("&prune=true&selector=app%3Dshop%2Ctier%3Dweb");
        assertThat(of(false, null).query("?")).isEmpty();
    }

    @Test
    void pruneWithoutASelectorOrASelectorWithoutPruneIsBadUsage() {
        assertThatThrownBy(() -> of(true, null).query("?")).isInstanceOf(CliException.class)
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
        assertThatThrownBy(() -> of(false, "app=x").query("?")).isInstanceOf(CliException.class);
    }

    @Test
    void theAnswerWithPruneIsItsAppliedDeployments() {
        var answer = Api.JSON.readTree("{\"applied\":[{\"name\":\"a\"}],\"pruned\":[{\"namespace\":\"ci\",\"name\":\"b\"}]}");
        assertThat(of(true, "app=x").report(answer, false).get(0).path("name").asString()).isEqualTo("a");
        assertThat(of(false, null).report(answer, false)).isSameAs(answer);
    }
}
