package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A --server that is no http(s) URL is bad usage (exit 2, ci.md's table), said in words, whatever is wrong with it. */
class ServerUrlTest {
    @Test
    void aServerThatIsNoHttpUrlIsBadUsage() {
        for (String server : new String[] {"localhost:8090", "http://example.com:8090 ", "http://exa mple", "ftp://example.com", "",
                "example.com", "http://"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(out, err, "get", "deployments", "--server", server, "--token", "t")).as("'%s': %s", server, err)
                    .isEqualTo(CliException.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(server).startsWith("nanolet: not a valid server URL: ");
        }
    }
}
