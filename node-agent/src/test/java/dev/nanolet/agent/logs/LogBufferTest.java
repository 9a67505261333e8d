package dev.nanolet.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.LogLine;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class LogBufferTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final UUID replica = UUID.randomUUID();

    @Test
    void keepsOnlyTheLastLinesWithTheirTimeAndStream() throws Exception {
        var buffer = new LogBuffer(replica, 3, clock);
        try (OutputStream out = buffer.stream("stdout")) {
            out.write("one\ntwo\r\nthree\nfour\nfive".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(buffer.tail(10)).extracting(LogLine::line).containsExactly("three", "four", "five");
        assertThat(buffer.tail(1)).containsExactly(new LogLine(clock.instant(), replica, "stdout", "five"));
    }

    @Test
    void followGivesTheTailThenNewLinesUntilClosed() {
        var buffer = new LogBuffer(replica, 10, clock);
        buffer.append("stderr", "old");
        StepVerifier.create(buffer.read(5, true).map(LogLine::line))
                .expectNext("old")
                .then(() -> buffer.append("stderr", "new"))
                .expectNext("new")
                .then(buffer::close)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void withoutFollowTheStreamEndsAfterTheTail() {
        var buffer = new LogBuffer(replica, 10, clock);
        buffer.append("stdout", "a");
        buffer.append("stdout", "b");
        StepVerifier.create(buffer.read(1, false).map(LogLine::line)).expectNext("b").verifyComplete();
    }
}
