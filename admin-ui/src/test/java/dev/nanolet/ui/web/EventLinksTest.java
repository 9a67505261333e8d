package dev.nanolet.ui.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLinksTest {
    private final EventLinks links = new EventLinks();

    @Test
    void deploymentsAndNodesHaveAPageReplicasDoNot() {
        assertThat(links.of("deployment/default/hello")).isEqualTo("/deployments/default/hello");
        assertThat(links.of("node/rev-node")).isEqualTo("/nodes#node-rev-node");
        assertThat(links.of("replica/3da0393d-e7c7-4184-83d0-aa5a92cbd2b4")).isNull();
        assertThat(links.of("deployment/a b/c")).isEqualTo("/deployments/a%20b/c");
        assertThat(links.of(null)).isNull();
    }
}
