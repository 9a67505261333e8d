package dev.nanolet.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Ends a streamed response from the application thread that writes it. When the client goes away, Tomcat
 * reports the error on one of its own threads; once that report has been handled, Tomcat refuses the request's
 * {@code AsyncContext} to every other thread with an {@link IllegalStateException}. Spring cannot rule that out:
 * {@code complete()} sets the result, and only then does {@code WebAsyncManager.setConcurrentResultAndDispatch}
 * dispatch; Tomcat's error handling can run and return in between. Such a stream has already ended, so the refusal
 * is not an error: left uncaught, it ended the writing thread with a stack trace in the log (and failed a CI run of
 * {@code WatchLimitsTest}, whose Awaitility wait saw it).
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
            log.debug("the stream had already ended", e);
        }
    }
}
