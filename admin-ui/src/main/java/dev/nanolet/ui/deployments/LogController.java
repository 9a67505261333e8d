package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.web.SessionSignIn;
import dev.nanolet.wire.LogLine;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A deployment's logs: {@code /logs} is a plain page of the last lines (works without
 * JavaScript; platform-api must send them within {@code NANOLET_PLATFORM_LOG_TAIL_TIMEOUT}, longer than its own wait for a dead node); {@code /logs/stream} relays platform-api's follow stream as server-sent events
 * whose data is a ready-made HTML line, which htmx's SSE extension appends to the page.
 */
@Controller
@RequestMapping("/deployments/{ns}/{name}/logs")
class LogController {
    static final String VIEW = "deployments/logs";
    static final int TAIL = 200;
    static final Duration RESUME = Duration.ofSeconds(3);
    /** How often an open stream looks whether its session still holds: it ends within this of a sign-out. */
    static final Duration SESSION_CHECK = Duration.ofSeconds(1);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private final PlatformClient platform;
    private final MessageSource messages;

    LogController(PlatformClient platform, MessageSource messages) {
        this.platform = platform;
        this.messages = messages;
    }

    @GetMapping
    Mono<String> page(@PathVariable String ns, @PathVariable String name, Model model) {
        model.addAttribute("ns", ns);
        model.addAttribute("name", name);
        return platform.logTail(ns, name, TAIL).map(lines -> lines.stream().map(LogController::html).toList())
                .doOnNext(lines -> model.addAttribute("lines", lines)).thenReturn(VIEW);
    }

    /**
     * Never ends by itself: when platform-api's stream ends (no replica running yet, a node went
     * away, the API restarted) it follows again, without the tail, after {@link #RESUME}. Ending
     * would make the browser's EventSource reconnect and append the whole tail a second time.
     * It ends with its session, though ({@link #over}), and platform-api's 401 ends the session.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> stream(@PathVariable String ns, @PathVariable String name, Locale locale, WebSession session) {
        Function<Throwable, String> interruption = e -> "<div class=\"log-line stderr\">"
                + HtmlUtils.htmlEscape(messages.getMessage("logs.interrupted", new Object[] {e.getMessage()}, locale)) + "</div>";
        AtomicBoolean interrupted = new AtomicBoolean();
        SessionSignIn sign = SessionSignIn.of(session);
        Flux<ServerSentEvent<String>> again = Flux.defer(() -> relay(platform.followLogs(ns, name, 0), interrupted, interruption, sign))
                .delaySubscription(RESUME).repeat();
        return relay(platform.followLogs(ns, name, TAIL), interrupted, interruption, sign).concatWith(again).takeUntilOther(over(sign));
    }

    /**
     * Says that the stream broke once per outage, not on every attempt to follow again. A 401 means platform-api no
     * longer takes the stream's token (revoked, expired): the session is over, as for a page ({@code ErrorAdvice}), unless
     * it holds another sign-in by then ({@link SessionSignIn}): that one is not the stream's to end.
     */
    private static Flux<ServerSentEvent<String>> relay(Flux<LogLine> lines, AtomicBoolean interrupted, Function<Throwable, String> interruption,
            SessionSignIn sign) {
        return lines.map(line -> event(html(line)))
                .doOnComplete(() -> interrupted.set(false))
                .onErrorResume(e -> e instanceof PlatformException.Refused r && r.status() == 401
                        ? end(sign).thenMany(Flux.empty())
                        : interrupted.getAndSet(true) ? Flux.empty() : Flux.just(event(interruption.apply(e))));
    }

    /**
     * Fires once the session the stream was opened in is over: signed out (Spring Security takes the sign-in out of the
     * session and gives it a new id), signed in again as another token, idle past its timeout, or invalidated after a
     * 401. The stream's calls carry the token it was opened with, so without this a stream went on relaying the
     * deployment's lines, and following again every {@link #RESUME}, to a browser that had signed out, for as long as its
     * tab stayed open. The browser's reconnect then meets the sign-in redirect, which an EventSource does not follow into
     * a stream.
     */
    private static Mono<Long> over(SessionSignIn sign) {
        return Flux.interval(SESSION_CHECK).filter(tick -> !sign.holds()).next();
    }

    /**
     * After a 401 to the stream's token (revoked meanwhile, say): its sign-in is over, so the session ends if it still holds
     * that one; another sign-in in it (the browser signed in again) is not the stream's to end.
     */
    private static Mono<Void> end(SessionSignIn sign) {
        return sign.holds() ? sign.session().invalidate() : Mono.empty();
    }

    private static ServerSentEvent<String> event(String html) {
        return ServerSentEvent.builder(html).event("log").build();
    }

    /** One line as HTML, escaped, for the log page and the stream alike: time (UTC, to the millisecond), replica, text. */
    static String html(LogLine line) {
        String replica = line.replica() == null ? "" : line.replica().toString().substring(0, 8);
        String time = line.time() == null ? "" : TIME.format(line.time());
        return "<div class=\"log-line " + ("stderr".equals(line.stream()) ? "stderr" : "stdout") + "\">"
                + "<span class=\"log-meta\" title=\"" + line.time() + "\">" + HtmlUtils.htmlEscape(time + " " + replica) + "</span> "
                + HtmlUtils.htmlEscape(line.line() == null ? "" : line.line().replaceAll("\\R", " ")) + "</div>";
    }
}
