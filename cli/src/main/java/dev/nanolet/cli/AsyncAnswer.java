package dev.nanolet.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The answer of an exchange sent with {@link HttpClient#sendAsync}, waited for until a deadline: the JDK's request timeout
 * bounds only the wait for the answer's headers, so a server that sends its body slowly held {@link HttpClient#send} as long
 * as it went on.
 */
final class AsyncAnswer {
    private AsyncAnswer() {}

    /**
     * {@code exchange}'s answer, its body whole as its handler reads it, if it comes before {@code deadline} (a
     * {@link System#nanoTime}, asked again each time it passes, so that it may move on); else {@link TimeoutException}, the
     * exchange cancelled. An answer that came between the last wait and the cancel is the answer. A failure is thrown as
     * {@link HttpClient#send} throws it: its {@link IOException} (refused, TLS, a connection ended…) or unchecked one, and
     * an interrupt cancels the exchange.
     */
    static <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> exchange, LongSupplier deadline)
            throws IOException, InterruptedException, TimeoutException {
        try {
            for (long left = deadline.getAsLong() - System.nanoTime(); left > 0; left = deadline.getAsLong() - System.nanoTime()) {
                try {
                    return exchange.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // the deadline may have moved on since: wait for what is left of it
                }
            }
            if (exchange.cancel(true)) {
                throw new TimeoutException();
            }
            return exchange.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
    }
}
