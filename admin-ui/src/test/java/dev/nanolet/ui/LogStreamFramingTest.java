package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.testsupport.GenerousAwaits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The log stream's "interrupted" event carries platform-api's message, text a node or a module may have written: its line
 * breaks, a lone carriage return included (a line end to an EventSource), stay inside the event's data and never start a
 * field of the stream's own ({@code retry:}, {@code event:}, {@code id:}) nor end the event early.
 */
class LogStreamFramingTest extends UiTest {
    @Test
    void lineBreaksInPlatformApisMessageStayInTheEventsData() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.failWith(503, "down\r\rretry: 1\revent: forged\r\nid: 7\ndata: <b>x</b>");

        String raw = WebClient.create(baseUrl()).get().uri("/deployments/default/hello/logs/stream").cookies(session::cookie)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToFlux(r -> r.bodyToFlux(DataBuffer.class))
                .map(b -> {
                    String text = b.toString(StandardCharsets.UTF_8);
                    DataBufferUtils.release(b);
                    return text;
                })
                .scan(String::concat).filter(s -> s.contains("</div>")).blockFirst(GenerousAwaits.AT_MOST);

        assertThat(raw).contains("log stream interrupted").contains("retry: 1").contains("event: forged");
        String event = raw.substring(0, raw.indexOf("</div>"));
        assertThat(event.split("\r\n|\r|\n")).as(raw).allMatch(line -> line.startsWith("data:") || line.equals("event:log"));
    }
}
