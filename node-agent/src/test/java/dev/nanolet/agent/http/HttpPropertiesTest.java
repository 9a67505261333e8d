package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The body budget defaults to a share of the heap that leaves room for guests, responses and the node itself. */
class HttpPropertiesTest {

    @Test
    void theBodyBudgetIsAnEighthOfTheHeapUpTo256MB() {
        assertThat(HttpProperties.defaultBodyBudget(512L << 20)).as("./nanolet up's nodes").isEqualTo(64L << 20);
        assertThat(HttpProperties.defaultBodyBudget(1152L << 20)).as("the image under the chart's 1536Mi limit").isEqualTo(144L << 20);
        assertThat(HttpProperties.defaultBodyBudget(8L << 30)).isEqualTo(256L << 20);
    }

    @Test
    void unsetIsTheDefaultSetIsKeptAndZeroIsRefused() {
        assertThat(properties(null).bodyBudget().toBytes()).isEqualTo(HttpProperties.defaultBodyBudget(Runtime.getRuntime().maxMemory()));
        assertThat(properties(DataSize.ofMegabytes(3)).bodyBudget()).isEqualTo(DataSize.ofMegabytes(3));
        assertThatThrownBy(() -> properties(DataSize.ofBytes(0))).hasMessageContaining("nanolet.http.body-budget must be positive");
    }

    private static HttpProperties properties(DataSize bodyBudget) {
        return new HttpProperties(Duration.ofSeconds(30), Duration.ofSeconds(60), DataSize.ofKilobytes(16), 100, bodyBudget,
                DataSize.ofMegabytes(64), "NANOLET_SESSION");
    }
}
