package dev.nanolet.ui.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The node page a form goes back to is addressed by the node's name encoded whole: a reserved character in it is the
 * name's. platform-api registers only DNS names and Spring Security's firewall refuses a path with {@code ;} or an
 * encoded {@code /}, so this is the redirect's own guarantee, not a way any request reaches such a node today.
 */
class NodeDetailPathTest {
    @Test
    void reservedCharactersInTheNameAreEncoded() {
        assertThat(NodeController.detail("edge;1")).isEqualTo("/nodes/edge%3B1");
        assertThat(NodeController.detail("a/b")).isEqualTo("/nodes/a%2Fb");
        assertThat(NodeController.detail("a?b#c")).isEqualTo("/nodes/a%3Fb%23c");
        assertThat(NodeController.detail("a b")).isEqualTo("/nodes/a%20b");
    }

    @Test
    void aDnsNameIsAsItIs() {
        assertThat(NodeController.detail("node-2.zone-a")).isEqualTo("/nodes/node-2.zone-a");
    }
}
