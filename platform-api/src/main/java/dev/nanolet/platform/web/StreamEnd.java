package dev.nanolet.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Ends a streamed response from the application thread that writes it. When the client goes away, Tomcat
 * reports the error on one of its own threads; once that report has been handled, Tomcat refuses the request's
 * {@code AsyncContext} to every other thread with an {@link IllegalStateException}, and Spring cannot always tell
 * beforehand (its dispatch checks, then calls). Such a stream has already ended, so the refusal is not an error:
 * left uncaught, it ended the writing thread with a stack trace in the log (and failed a test whose Awaitility wait
 * saw it). Found in CI, where {@code WatchLimitsTest} closed a watch while its stream ended.
 */
public final class StreamEnd {
    private static final Logger log = LoggerFactory.getLogger(StreamEnd.class);

    private StreamEnd() {}

    public static void complete(ResponseBodyEmitter emitter) {
        end(emitter::complete);
    }

    public static void completeWithError(ResponseBodyEmitter emitter, Throwable cause) {
        end(() -> emitter.completeWithError(cause));
    }

    private static void end(Runnable ending) {
        try {
            ending.run();
        } catch (IllegalStateException e) {
            log.debug("stream had already ended: {}", e.getMessage());
        }
    }
}
