package dev.nanolet.ui.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;

class AuditQueryTest {
    @Test
    void readsEachKnownFilterOnceAndSkipsEmptyOnes() {
        var query = new LinkedMultiValueMap<String, String>(Map.of("actor", List.of(" ci ", "other"), "dryRun", List.of(""),
                "limit", List.of("5"), "page", List.of("2")));

        assertThat(AuditQuery.of(query, null).filters()).containsExactly(Map.entry("actor", "ci"), Map.entry("limit", "5"));
        assertThat(AuditQuery.of(query, "ci").filters()).as("a namespace admin's own, when none is named")
                .containsEntry("namespace", "ci");
        query.add("namespace", "");
        assertThat(AuditQuery.of(query, "ci").filters()).as("an empty one asked for is no filter").doesNotContainKey("namespace");
    }

    /** The older link carries every filter with each value whole: an {@code &}, {@code +} or {@code #} in an actor stays its. */
    @Test
    void theOlderLinkEncodesEachValueWhole() {
        var query = new LinkedMultiValueMap<String, String>(Map.of("actor", List.of("a&b+c#d =é"), "namespace", List.of("ci")));

        String older = AuditQuery.of(query, null).before(41).uri("/audit");

        assertThat(older).isEqualTo("/audit?namespace=ci&actor=a%26b%2Bc%23d%20%3D%C3%A9&before=41");
    }

    /**
     * An entry's request id links to that request's entries alone, each filter of the page dropped but, for an admin of
     * namespaces only, the namespace, the one it may read; a cluster-wide admin's link names none: an apply's own entry has
     * no namespace, its documents may be in several.
     */
    @Test
    void theRequestLinkKeepsTheNamespaceOnlyForAReaderWhoMustNameOne() {
        var query = new LinkedMultiValueMap<String, String>(Map.of("namespace", List.of("ci"), "actor", List.of("x"), "limit", List.of("5")));

        assertThat(AuditQuery.of(query, null).request("a&b#1")).isEqualTo("/audit?requestId=a%26b%231");
        assertThat(AuditQuery.of(query, "ops").request("a&b#1")).isEqualTo("/audit?namespace=ci&requestId=a%26b%231");
        assertThat(AuditQuery.of(query, "ops").before(41).request("r")).isEqualTo("/audit?namespace=ci&requestId=r");
    }

    /** The filter form carries a limit on only when it is written plainly within platform-api's bounds: a refused one would be sent again. */
    @Test
    void theFormCarriesOnlyALimitPlatformApiTakes() {
        for (String taken : List.of("1", "100", "500", " 42 ")) {
            assertThat(AuditQuery.of(new LinkedMultiValueMap<>(Map.of("limit", List.of(taken))), null).formLimit()).as(taken)
                    .isEqualTo(taken.strip());
        }
        for (String refused : List.of("0", "501", "100000", "-1", "+5", "010", "0x10", "1e2", "abc", "99999999999")) {
            assertThat(AuditQuery.of(new LinkedMultiValueMap<>(Map.of("limit", List.of(refused))), null).formLimit()).as(refused)
                    .isNull();
        }
        assertThat(AuditQuery.of(new LinkedMultiValueMap<>(), null).formLimit()).isNull();
    }
}
