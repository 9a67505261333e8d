package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.wire.LogLine;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A deployment's logs: {@code /logs} is a plain page of the last lines (works without
 * JavaScript); {@code /logs/stream} relays platform-api's follow stream as server-sent events
 * whose data is a ready-made HTML line, which htmx's SSE extension appends to the page.
 */
@Controller
@RequestMapping("/deployments/{ns}/{name}/logs")
class LogController {
    static final String VIEW = "deployments/logs";
    static final int TAIL = 200;
    static final Duration RESUME = Duration.ofSeconds(3);
    private final PlatformClient platform;

    LogController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping
    Mono<String> page(@PathVariable String ns, @PathVariable String name, Model model) {
        model.addAttribute("ns", ns);
        model.addAttribute("name", name);
        return platform.logs(ns, name, TAIL, false).collectList().doOnNext(lines -> model.addAttribute("lines", lines)).thenReturn(VIEW);
    }

    /**
     * Never ends by itself: when platform-api's stream ends (no replica running yet, a node went
     * away, the API restarted) it follows again, without the tail, after {@link #RESUME}. Ending
     * would make the browser's EventSource reconnect and append the whole tail a second time.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> stream(@PathVariable String ns, @PathVariable String name) {
        Flux<ServerSentEvent<String>> again = Flux.defer(() -> relay(platform.logs(ns, name, 0, true))).delaySubscription(RESUME).repeat();
        return relay(platform.logs(ns, name, TAIL, true)).concatWith(again);
    }

    private static Flux<ServerSentEvent<String>> relay(Flux<LogLine> lines) {
        return lines.map(line -> event(html(line)))
                .onErrorResume(e -> Flux.just(event("<div class=\"log-line stderr\">" + HtmlUtils.htmlEscape("log stream interrupted: " + e.getMessage()) + "</div>")));
    }

    private static ServerSentEvent<String> event(String html) {
        return ServerSentEvent.builder(html).event("log").build();
    }

    static String html(LogLine line) {
        String replica = line.replica() == null ? "" : line.replica().toString().substring(0, 8);
        return "<div class=\"log-line " + ("stderr".equals(line.stream()) ? "stderr" : "stdout") + "\">"
                + "<span class=\"log-meta\">" + HtmlUtils.htmlEscape(line.time() + " " + replica) + "</span> "
                + HtmlUtils.htmlEscape(line.line() == null ? "" : line.line().replaceAll("\\R", " ")) + "</div>";
    }
}
