package dev.nanolet.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body whose exchange is bounded by its stalls, not its length: it fails once no progress was made for
 * {@code stall}, progress being a part of the body taken to be sent or, once all was, the answer. A whole request's
 * timeout gave a 64 MB module 60 s in all, which a link slower than about 9 Mbit/s never made. A part is taken once the
 * operating system's socket buffer holds it: the last few MB of a body may still be on their way when the answer's time
 * starts, as the JDK tells no more.
 */
final class Upload implements HttpRequest.BodyPublisher {
    /** No progress for the stall bound: {@code sent} of the body's {@code length} bytes were taken to be sent. */
    static final class Stalled extends IOException {
        final long sent;
        final long length;

        Stalled(long sent, long length) {
            super("no progress");
            this.sent = sent;
            this.length = length;
        }
    }

    private final HttpRequest.BodyPublisher body;
    private final Duration stall;
    private final AtomicLong sent = new AtomicLong();
    private volatile long progressed = System.nanoTime();

    Upload(byte[] body, Duration stall) {
        this.body = HttpRequest.BodyPublishers.ofByteArray(body);
        this.stall = stall;
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer part) {
                sent.addAndGet(part.remaining());
                progressed = System.nanoTime();
                subscriber.onNext(part);
            }

            @Override
            public void onError(Throwable e) {
                subscriber.onError(e);
            }

            @Override
            public void onComplete() {
                progressed = System.nanoTime(); // the answer's time starts when the last part was taken
                subscriber.onComplete();
            }
        });
    }

    /**
     * {@code request}, whose body is this, sent by {@code http} and answered, or {@link Stalled} (the exchange cancelled)
     * once no progress was made for the stall bound; a failure to connect or send as {@link HttpClient#send} throws it.
     */
    <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> answer) throws IOException, InterruptedException {
        try {
            return AsyncAnswer.await(http.sendAsync(request, answer), () -> progressed + stall.toNanos());
        } catch (TimeoutException e) {
            throw new Stalled(sent.get(), contentLength());
        }
    }
}
