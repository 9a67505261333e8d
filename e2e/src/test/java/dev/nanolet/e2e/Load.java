package dev.nanolet.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded loop of data-plane requests from the test, on loopback: GET {@code urls} in turn, one
 * every {@link #PERIOD} (one at a time), until {@link #stop()}, {@code maxRequests} or
 * {@code maxTime}. Any other status than 200, or an I/O error, is a failure kept with its time.
 */
final class Load implements AutoCloseable {
    /** One failed request: when (ms since the start), which URL, what happened. */
    record Failure(long atMillis, String url, String what) {}

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> urls;
    private final int maxRequests;
    private final long deadline;
    private final long start = System.nanoTime();
    private final AtomicInteger ok = new AtomicInteger();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    /** 50 requests a second: load that a 2-core CI machine carries next to the processes under test. */
    static final Duration PERIOD = Duration.ofMillis(20);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("load").daemon().factory());
    private final AtomicInteger sent = new AtomicInteger();

    private Load(List<String> urls, int maxRequests, Duration maxTime) {
        this.urls = List.copyOf(urls);
        this.maxRequests = maxRequests;
        this.deadline = start + maxTime.toNanos();
        timer.scheduleAtFixedRate(this::once, 0, PERIOD.toNanos(), TimeUnit.NANOSECONDS);
    }

    static Load start(List<String> urls, int maxRequests, Duration maxTime) {
        return new Load(urls, maxRequests, maxTime);
    }

    private void once() {
        int i = sent.getAndIncrement();
        if (i >= maxRequests || System.nanoTime() > deadline) {
            timer.shutdown();
            return;
        }
        String url = urls.get(i % urls.size());
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                ok.incrementAndGet();
            } else {
                fail(url, r.statusCode() + " " + r.body().lines().findFirst().orElse(""));
            }
        } catch (IOException e) {
            fail(url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(String url, String what) {
        failures.add(new Failure(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), url, what));
    }

    /** Requests answered so far, 200 or not. */
    int answered() {
        return ok() + failures.size();
    }

    int ok() {
        return ok.get();
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Failures per URL, for assertion messages. */
    Map<String, Integer> failuresByUrl() {
        Map<String, Integer> by = new TreeMap<>();
        failures.forEach(f -> by.merge(f.url(), 1, Integer::sum));
        return by;
    }

    /** Stops the loop and waits for the request in flight. */
    void stop() {
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return ok() + " ok, " + failures.size() + " failed " + (failures.size() > 5 ? failures.subList(0, 5) + "…" : failures);
    }
}
