package dev.nanolet.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Sinks;

/** The guest's output in chunks, the CGI header block read across them, the body wrapped from them. */
class GuestOutputTest {

    private static final int FIRST = GuestOutput.FIRST_CHUNK;

    static GuestOutput write(int max, String... parts) throws IOException {
        GuestOutput out = new GuestOutput(max);
        for (String p : parts) {
            out.write(p.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    static String body(GuestOutput out) {
        CgiResponse cgi = CgiResponse.parse(out);
        return text(CgiGateway.body(out, cgi.bodyOffset()));
    }

    static String text(List<DataBuffer> buffers) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        buffers.forEach(b -> {
            byte[] bytes = new byte[b.readableByteCount()];
            b.read(bytes);
            all.writeBytes(bytes);
        });
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aSmallAnswerCostsOneSmallChunkAndOneBuffer() throws IOException {
        GuestOutput out = write(1 << 20, "Content-Type: text/plain\n\nHello from Wasm\n");
        assertThat(out.chunks()).hasSize(1);
        assertThat(out.chunks().getFirst()).hasSize(FIRST);
        assertThat(CgiGateway.body(out, CgiResponse.parse(out).bodyOffset())).hasSize(1);
        assertThat(body(out)).isEqualTo("Hello from Wasm\n");
    }

    @Test
    void chunksDoubleUpToTheMaximumAndAreNeverCopiedOnGrowth() throws IOException {
        GuestOutput out = new GuestOutput(32 << 20);
        out.write(new byte[100]);
        byte[] first = out.chunks().getFirst();
        out.write(new byte[5 << 20]); // one write across many chunks
        for (int i = 0; i < 3 * 1024; i++) {
            out.write(i); // byte writes across chunk ends
        }
        assertThat(out.length()).isEqualTo(100 + (5 << 20) + 3 * 1024);
        assertThat(out.chunks().getFirst()).isSameAs(first);
        List<Integer> sizes = out.chunks().stream().map(c -> c.length).toList();
        assertThat(sizes.subList(0, 6)).containsExactly(FIRST, 2 * FIRST, 4 * FIRST, 8 * FIRST, 16 * FIRST, GuestOutput.MAX_CHUNK);
        assertThat(sizes).allMatch(s -> s <= GuestOutput.MAX_CHUNK); // never humongous for G1 (half a 1 MiB region)
        int sum = 0;
        for (int i = 0; i < out.chunks().size(); i++) {
            sum += out.used(i);
        }
        assertThat(sum).isEqualTo(out.length());
    }

    @Test
    void writesUpToTheCapAndFailsPastIt() throws IOException {
        GuestOutput out = new GuestOutput(10_000);
        out.write(new byte[9_999]);
        out.write('x');
        assertThat(out.overflowed()).isFalse();
        assertThat(out.length()).isEqualTo(10_000);
        assertThat(out.chunks().stream().mapToInt(c -> c.length).sum()).isEqualTo(10_000); // the last chunk stops at the cap
        assertThatThrownBy(() -> out.write('y')).isInstanceOf(IOException.class).hasMessageContaining("response above 10000 bytes");
        assertThat(out.overflowed()).isTrue();
        assertThat(out.chunks()).isEmpty(); // a 502 whatever comes next: nothing is held until the guest's deadline
        GuestOutput big = new GuestOutput(10_000);
        assertThatThrownBy(() -> big.write(new byte[10_001])).isInstanceOf(IOException.class);
        assertThat(big.overflowed()).isTrue();
        assertThat(big.length()).isZero(); // nothing of a write past the cap is kept
        assertThatThrownBy(() -> big.write('z')).isInstanceOf(IOException.class); // nor any write after it
        assertThat(big.chunks()).isEmpty();
    }

    @Test
    void bytesPastTheUncountedPartAreReservedInTheNodesBudgetAndWhatDoesNotFitEndsTheOutput() throws IOException {
        ByteBudget budget = new ByteBudget(200_000);
        GuestOutput first = new GuestOutput(32 << 20, budget.reserve(0));
        first.write(new byte[200_000]);
        assertThat(budget.held()).isZero(); // nearly every answer costs the node's budget nothing
        first.write(new byte[100_000]);
        // whole chunks: what was allocated past the first 256 KiB
        assertThat(budget.held()).isBetween(300_000L - GuestOutput.UNCOUNTED, 300_000L - GuestOutput.UNCOUNTED + GuestOutput.MAX_CHUNK);
        GuestOutput second = new GuestOutput(32 << 20, budget.reserve(0));
        second.write(new byte[200_000]);
        assertThatThrownBy(() -> second.write(new byte[200_000])).isInstanceOf(IOException.class).hasMessageContaining("response bytes");
        assertThat(second.refused()).isTrue();
        assertThat(second.overflowed()).isTrue();
        assertThat(second.chunks()).isEmpty();
        assertThat(first.refused()).isFalse();
        assertThatThrownBy(() -> second.write('x')).isInstanceOf(IOException.class); // and every later write
        long held = budget.held();
        first.release();
        first.release(); // once
        assertThat(budget.held()).isLessThan(held).isZero();
        GuestOutput third = new GuestOutput(32 << 20, budget.reserve(0));
        third.write(new byte[GuestOutput.UNCOUNTED + 150_000]);
        assertThat(third.refused()).isFalse();
        third.release();
        assertThat(budget.held()).isZero();
    }

    @Test
    void theReservationGoesBackWhenTheBodyHasBeenWrittenNotWhenTheServerTookItsChunks() throws IOException {
        ByteBudget budget = new ByteBudget(1 << 20);
        GuestOutput out = new GuestOutput(32 << 20, budget.reserve(0));
        out.write("Content-Type: text/plain\n\n".getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[GuestOutput.UNCOUNTED + 100_000]);
        long held = budget.held();
        assertThat(held).isPositive();
        Sinks.Empty<Void> clientRead = Sinks.empty();
        MockServerHttpResponse response = new MockServerHttpResponse();
        response.setWriteHandler(chunks -> chunks.then(clientRead.asMono())); // takes every chunk at once; done when the client has read
        CgiGateway.writing(out, CgiGateway.body(out, CgiResponse.parse(out).bodyOffset())).insert(response, null).subscribe();
        assertThat(budget.held()).isEqualTo(held); // every chunk handed over, none read yet: still held
        clientRead.tryEmitEmpty();
        assertThat(budget.held()).isZero();
    }

    @Test
    void anOutputNeverReleasedGivesItsReservationBackOnceCollected() throws IOException {
        ByteBudget budget = new ByteBudget(1 << 20);
        reserveAndForget(budget);
        assertThat(budget.held()).isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc(); // the only way to let the cleaner see the output is gone
            return budget.held() == 0;
        });
    }

    private static void reserveAndForget(ByteBudget budget) throws IOException {
        new GuestOutput(32 << 20, budget.reserve(0)).write(new byte[GuestOutput.UNCOUNTED + 100_000]);
    }

    @Test
    void anOutputThatPassesItsCapGivesItsReservationBackAtOnce() throws IOException {
        ByteBudget budget = new ByteBudget(1 << 20);
        GuestOutput out = new GuestOutput(GuestOutput.UNCOUNTED + 500_000, budget.reserve(0));
        out.write(new byte[GuestOutput.UNCOUNTED + 400_000]);
        assertThat(budget.held()).isPositive();
        assertThatThrownBy(() -> out.write(new byte[200_000])).isInstanceOf(IOException.class).hasMessageContaining("response above");
        assertThat(out.refused()).isFalse();
        assertThat(budget.held()).isZero(); // a flood that goes on writing until its deadline holds nothing of it
    }

    @Test
    void headerFieldsSplitAcrossChunksAreParsed() throws IOException {
        String longValue = "v".repeat(FIRST + 100); // the first field ends in the second chunk
        String body = "b".repeat(3 * FIRST);
        GuestOutput out = write(1 << 20, "Status: 201 Created\nX-Long: " + longValue + "\r\nContent-Type: text/plain\r\n\r\n", body);
        assertThat(out.chunks()).hasSizeGreaterThan(1);
        CgiResponse cgi = CgiResponse.parse(out);
        assertThat(cgi.status()).isEqualTo(201);
        assertThat(cgi.headers()).containsExactly(Map.entry("X-Long", longValue), Map.entry("Content-Type", "text/plain"));
        assertThat(body(out)).isEqualTo(body);
    }

    @Test
    void aBlankLineRightAtAChunkEndIsFound() throws IOException {
        String head = "Content-Type: text/plain\n";
        String pad = "X: " + "p".repeat(FIRST - head.length() - 4) + "\n"; // the first chunk ends with "\n" of X
        GuestOutput out = write(1 << 20, head, pad, "\nrest");
        assertThat(out.used(0)).isEqualTo(FIRST);
        assertThat(body(out)).isEqualTo("rest");
        GuestOutput crlf = write(1 << 20, head, pad.substring(0, pad.length() - 1) + "\r", "\n\r\nrest");
        assertThat(body(crlf)).isEqualTo("rest");
    }

    @Test
    void aBodyOfExactlyOneChunkIsOneBufferOfThatChunk() throws IOException {
        String head = "Content-Type: application/octet-stream\n\n";
        GuestOutput out = write(1 << 20, head + "h".repeat(FIRST - head.length()), "c".repeat(2 * FIRST));
        assertThat(out.chunks()).hasSize(2);
        List<DataBuffer> buffers = CgiGateway.body(out, CgiResponse.parse(out).bodyOffset());
        assertThat(buffers).hasSize(2);
        assertThat(text(buffers)).isEqualTo("h".repeat(FIRST - head.length()) + "c".repeat(2 * FIRST));
        // the header block fills the first chunk: the body is the second chunk, whole
        GuestOutput bodyIsSecondChunk = write(1 << 20, "X: " + "h".repeat(FIRST - 5) + "\n\n", "z".repeat(2 * FIRST));
        List<DataBuffer> one = CgiGateway.body(bodyIsSecondChunk, CgiResponse.parse(bodyIsSecondChunk).bodyOffset());
        assertThat(one).hasSize(1);
        assertThat(text(one)).isEqualTo("z".repeat(2 * FIRST));
    }

    @Test
    void manyChunksMakeTheWholeBodyInOrder() throws IOException {
        StringBuilder expected = new StringBuilder();
        List<String> parts = new ArrayList<>(List.of("Content-Type: text/plain\n\n"));
        for (int i = 0; i < 5_000; i++) {
            String line = "line " + i + "\n";
            expected.append(line);
            parts.add(line);
        }
        GuestOutput out = write(1 << 20, parts.toArray(String[]::new));
        assertThat(out.chunks()).hasSizeGreaterThan(3);
        assertThat(body(out)).isEqualTo(expected.toString());
    }

    @Test
    void anEmptyBodyIsOneEmptyBuffer() throws IOException {
        GuestOutput out = write(1 << 20, "Status: 204\n\n");
        List<DataBuffer> buffers = CgiGateway.body(out, CgiResponse.parse(out).bodyOffset());
        assertThat(buffers).hasSize(1);
        assertThat(buffers.getFirst().readableByteCount()).isZero();
    }

    @Test
    void headerBlockStillEndsWithin64KiBAcrossChunks() throws IOException {
        GuestOutput out = write(1 << 20, "X: " + "a".repeat(70 * 1024) + "\n\nbody");
        assertThatThrownBy(() -> CgiResponse.parse(out)).isInstanceOf(CgiResponse.MalformedException.class)
                .hasMessageContaining("no blank line");
        GuestOutput none = new GuestOutput(100);
        assertThatThrownBy(() -> CgiResponse.parse(none)).isInstanceOf(CgiResponse.MalformedException.class).hasMessageContaining("no output");
    }
}
