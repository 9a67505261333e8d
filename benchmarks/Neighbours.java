import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Neighbours: the latency of a well-behaved route (examples/hello.wasm) on a node, quiet and then
 * while hostile modules on the same node are hammered (a runaway loop, a memory bomb, an output
 * flood, table growth: 4 clients each) and 64 slow clients hold connections (headers announcing a
 * body that never comes) to the runaway route, or with {@code slow-on-good} to the measured route
 * itself. The attackers are plain keep-alive sockets (they cost this machine, which the node shares,
 * as little as a load generator can); the measured route has an HTTP client of its own. Closed
 * loop, {@code clients} threads, {@code seconds} per phase, after a warm-up. Goal: p99
 * under attack within 2× of quiet. Needs only a JDK 21 and a platform whose deployments all land on
 * the node measured (one node, e.g. {@code NANOLET_NODE_PORTS=8181 ./nanolet up}):
 *
 * <pre>java benchmarks/Neighbours.java http://localhost:8090 "$(cat .nanolet/admin-token)" http://localhost:8181 examples 20 4 [slow-on-good] [attackers=…] [rate=R]</pre>
 *
 * {@code rate=R} measures the good route open loop instead (quiet, warm-up and attack phases alike;
 * {@code clients} is then unused): request i is sent at t0 + i/R from a virtual thread of its own,
 * so a slow answer never delays the next, and its latency counts from that intended time (no
 * coordinated omission: a 500 ms stall costs every request due during it, as in wrk2). A request
 * not answered 200 within 5 s of its intended time is an error; each phase line then ends with the
 * rate answered (200 answers per second). Without the flag: closed loop as before, same output.
 * A phase with errors ends with them counted by kind: the status of an answer other than 200 and
 * its problem's {@code detail}, digits as N ("503 all guest threads are busy"), "200 late" (open loop: a 200 past the 5 s), or the class of the exception that ended the
 * exchange ("HttpTimeoutException", "ConnectException", an "IOException" the node's close caused).
 *
 * {@code attackers=spin,bomb,flood,table,slow} (the default: all at once) chooses who attacks;
 * {@code attackers=each} runs one attack phase per attacker alone and then one with all of them, each
 * followed by a quiet phase, and prints the ratio of every attack phase to the quiet phase before it.
 */
class Neighbours {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The measured route's own client: its answers never queue behind the attackers' in one client. */
    static final HttpClient GOOD = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Map<String, String> HOSTILE = Map.of("spin", "spin.wasm", "bomb", "fixtures/grow.wasm",
            "flood", "fixtures/flood.wasm", "table", "fixtures/table-churn.wasm");

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final List<String> ATTACKERS = List.of("spin", "bomb", "flood", "table", "slow");

    public static void main(String[] a) throws Exception {
        String api = a[0] + "/api/v1";
        String token = a[1];
        String node = a[2];
        Path examples = Path.of(a[3]);
        int seconds = a.length > 4 ? Integer.parseInt(a[4]) : 20;
        int clients = a.length > 5 ? Integer.parseInt(a[5]) : 4;
        List<String> flags = a.length > 6 ? List.of(a).subList(6, a.length) : List.of();
        boolean slowOnGood = flags.contains("slow-on-good");
        Load load = flags.stream().filter(f -> f.startsWith("rate=")).map(f -> (Load) new OpenLoop(Double.parseDouble(f.substring(5))))
                .findFirst().orElse(new ClosedLoop(clients));
        String chosen = flags.stream().filter(f -> f.startsWith("attackers=")).map(f -> f.substring(10)).findFirst().orElse(String.join(",", ATTACKERS));
        List<List<String>> phases = new ArrayList<>();
        if (chosen.equals("each")) {
            ATTACKERS.forEach(name -> phases.add(List.of(name)));
            phases.add(ATTACKERS);
        } else {
            List<String> set = List.of(chosen.split(","));
            if (!ATTACKERS.containsAll(set)) {
                throw new IllegalArgumentException("attackers: each, or some of " + ATTACKERS + ", not " + chosen);
            }
            phases.add(set);
        }
        String run = "n" + ProcessHandle.current().pid();
        deploy(api, token, run + "-good", "/neighbours/" + run + "/good", upload(api, token, examples.resolve("hello.wasm")), "null");
        for (var e : HOSTILE.entrySet()) {
            deploy(api, token, run + "-" + e.getKey(), "/neighbours/" + run + "/" + e.getKey(), upload(api, token, examples.resolve(e.getValue())),
                    "{\"memoryMiB\":16,\"timeoutMs\":1000,\"maxConcurrency\":4}");
        }
        String good = node + "/neighbours/" + run + "/good";
        waitFor(good);
        for (String name : HOSTILE.keySet()) {
            waitForAnyAnswer(node + "/neighbours/" + run + "/" + name);
        }
        load.measure(good, 5);
        List<String> summary = new ArrayList<>();
        for (List<String> attackers : phases) {
            Result quiet = load.measure(good, seconds);
            print("quiet", quiet);
            Attacked attacked = attack(node, run, attackers, slowOnGood, good, load, seconds);
            double ratio = attacked.result().p(99) / quiet.p(99);
            String who = String.join("+", attackers);
            print("under attack: " + who + " (" + attacked.hostile() + " hostile requests)", attacked.result());
            System.out.printf("p99 under attack / quiet: %.2f×%n", ratio);
            summary.add(String.format("%-28s p99 %7.2f / %6.2f ms = %6.2f×, max %7.2f ms", who, attacked.result().p(99), quiet.p(99), ratio,
                    attacked.result().max()));
        }
        if (phases.size() > 1) {
            System.out.println("summary (attackers: p99 under attack / quiet p99 before it):");
            summary.forEach(System.out::println);
        }
        for (String name : List.of("good", "spin", "bomb", "flood", "table")) {
            send(auth(api + "/namespaces/bench/deployments/" + run + "-" + name, token).DELETE(), 0);
        }
    }

    record Attacked(Result result, int hostile) {}

    /** Measures {@code good} while {@code attackers} hammer their routes (slow clients: on the runaway route, or on {@code good}). */
    static Attacked attack(String node, String run, List<String> attackers, boolean slowOnGood, String good, Load load, int seconds)
            throws InterruptedException {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        AtomicInteger attacks = new AtomicInteger();
        long end = System.nanoTime() + Duration.ofSeconds(seconds + 5).toNanos();
        for (String name : attackers) {
            if (!name.equals("slow")) {
                for (int i = 0; i < 4; i++) {
                    pool.submit(() -> hammer(node + "/neighbours/" + run + "/" + name, end, attacks));
                }
            }
        }
        List<Socket> slow = new ArrayList<>();
        if (attackers.contains("slow")) {
            for (int i = 0; i < 64; i++) {
                slow.add(slowClient(node, "/neighbours/" + run + "/" + (slowOnGood ? "good" : "spin")));
            }
        }
        Result attacked = load.measure(good, seconds);
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        slow.forEach(s -> { try { s.close(); } catch (IOException e) { /* closed */ } });
        return new Attacked(attacked, attacks.get());
    }

    /**
     * Latencies of the 200 answers (sorted), the other answers and failures counted by kind ("503",
     * "200 late", an exception's class), and for open loop the rate answered (else NaN).
     */
    record Result(List<Double> millis, Map<String, Integer> errors, double rate) {
        static Result of(Collection<Double> millis, Errors errors, double rate) {
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return new Result(sorted, errors.byKind(), rate);
        }

        int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }

        double max() {
            return millis.isEmpty() ? Double.NaN : millis.getLast();
        }

        double p(double q) {
            return millis.isEmpty() ? Double.NaN : millis.get(Math.min(millis.size() - 1, (int) Math.ceil(q / 100 * millis.size()) - 1));
        }
    }

    /** The good route's errors of one phase, counted by kind. */
    static final class Errors {
        private final Map<String, AtomicInteger> kinds = new ConcurrentHashMap<>();

        void add(String kind) {
            kinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        Map<String, Integer> byKind() {
            Map<String, Integer> counts = new TreeMap<>();
            kinds.forEach((kind, n) -> counts.put(kind, n.get()));
            return counts;
        }
    }

    /** How the good route is loaded during a phase. */
    sealed interface Load permits ClosedLoop, OpenLoop {
        Result measure(String url, int seconds) throws InterruptedException;
    }

    /** {@code clients} threads, each sending its next request when the last one is answered. */
    record ClosedLoop(int clients) implements Load {
        public Result measure(String url, int seconds) throws InterruptedException {
            ConcurrentLinkedQueue<Double> millis = new ConcurrentLinkedQueue<>();
            Errors errors = new Errors();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        String outcome = outcome(GOOD, url, TIMEOUT);
                        if (outcome.equals("200")) {
                            millis.add((System.nanoTime() - t0) / 1e6);
                        } else {
                            errors.add(outcome);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            return Result.of(millis, errors, Double.NaN);
        }
    }

    /**
     * {@code rate} requests a second on a fixed schedule, each from its own virtual thread; latency
     * from the intended send time; no 200 within {@link #DEADLINE} of it is an error.
     */
    record OpenLoop(double rate) implements Load {
        static final Duration DEADLINE = Duration.ofSeconds(5);

        OpenLoop {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("rate=R needs R > 0 requests a second, not " + rate);
            }
        }

        public Result measure(String url, int seconds) throws InterruptedException {
            ConcurrentLinkedQueue<Double> millis = new ConcurrentLinkedQueue<>();
            Errors errors = new Errors();
            AtomicLong lastAnswer = new AtomicLong();
            long t0 = System.nanoTime();
            long requests = (long) (rate * seconds);
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (long i = 0; i < requests; i++) {
                    long intended = t0 + (long) (i * 1e9 / rate);
                    for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    senders.submit(() -> {
                        long deadline = intended + DEADLINE.toNanos();
                        String outcome = outcome(GOOD, url, Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                        long answered = System.nanoTime();
                        lastAnswer.accumulateAndGet(answered, Math::max);
                        if (!outcome.equals("200")) {
                            errors.add(outcome);
                        } else if (answered > deadline) {
                            errors.add("200 late");
                        } else {
                            millis.add((answered - intended) / 1e6);
                        }
                    });
                }
            } // waits for every request: each ends by its deadline
            return Result.of(millis, errors, millis.size() / ((lastAnswer.get() - t0) / 1e9));
        }
    }

    static void print(String phase, Result r) {
        System.out.printf("%-50s %6d ok, %4d errors, p50 %6.2f ms, p99 %7.2f ms, max %7.2f ms%s%s%n", phase, r.millis().size(), r.errorCount(),
                r.p(50), r.p(99), r.max(), Double.isNaN(r.rate()) ? "" : String.format(", %.1f req/s answered", r.rate()),
                r.errors().isEmpty() ? "" : " " + r.errors());
    }

    /**
     * Sends GET {@code url} again and again on one kept-alive connection (a new one when the node closes
     * it) until {@code end}, reading each answer whole. Plain socket I/O, not {@link HttpClient}: an
     * attacker elsewhere costs the node's machine nothing, and one here should cost it as little as a
     * load generator can (the JDK's client spent 0.8 of the machine's 2 cores on these requests).
     */
    static void hammer(String url, long end, AtomicInteger attacks) {
        URI uri = URI.create(url);
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2_000);
                s.setSoTimeout((int) TIMEOUT.toMillis());
                InputStream in = new BufferedInputStream(s.getInputStream(), 65_536);
                OutputStream out = s.getOutputStream();
                boolean open = true;
                while (open && System.nanoTime() < end) {
                    out.write(request);
                    out.flush();
                    open = RawAnswer.read(in);
                    attacks.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) { // an attacker never stops early, whatever the node answers
                attacks.incrementAndGet(); // a refused or cut connection counts as one request; the next opens another
            }
        }
    }

    /** Reads one HTTP/1.1 answer (Content-Length or chunked body); whether the connection stays open. */
    static final class RawAnswer {
        static boolean read(InputStream in) throws IOException {
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            line(in); // the status line
            for (String line; !(line = line(in)).isEmpty(); ) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; line(in)) {
                    in.skipNBytes(size);
                }
                while (!line(in).isEmpty()) { /* trailers */ }
            } else if (length >= 0) {
                in.skipNBytes(length);
            } else {
                return false; // read to the end: the connection is done
            }
            return !close;
        }

        /** One line without its CRLF; the node closing the connection is an {@link IOException} (the caller opens another). */
        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }

    static Socket slowClient(String node, String path) {
        URI uri = URI.create(node);
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Length: 100000\r\n\r\nx")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // turned away
        }
        return s;
    }

    static String upload(String api, String token, Path wasm) throws Exception {
        HttpResponse<String> r = send(auth(api + "/modules", token).header("Content-Type", "application/wasm")
                .POST(HttpRequest.BodyPublishers.ofFile(wasm)), 300);
        Matcher m = Pattern.compile("\"digest\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no digest in " + r.body());
        }
        return m.group(1);
    }

    static void deploy(String api, String token, String name, String route, String digest, String limits) {
        send(auth(api + "/namespaces/bench/deployments/" + name, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"module\":\"" + digest + "\",\"http\":{\"path\":\"" + route
                        + "\"},\"replicas\":1,\"limits\":" + limits + "}")), 300);
    }

    static void waitFor(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (status(url, TIMEOUT) != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not answer 200 within 60 s");
            }
            Thread.sleep(100);
        }
    }

    static void waitForAnyAnswer(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (status(url, TIMEOUT) == 404) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " still 404 after 60 s");
            }
            Thread.sleep(100);
        }
    }

    static HttpRequest.Builder auth(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    static int status(String url, Duration timeout) {
        return status(HTTP, url, timeout);
    }

    static int status(HttpClient client, String url, Duration timeout) {
        String outcome = outcome(client, url, timeout);
        return outcome.matches("(?s)[0-9]{3}( .*)?") ? Integer.parseInt(outcome.substring(0, 3)) : -1;
    }

    /** The {@code detail} of a problem answer, its digits as {@code N} so that answers of one kind count together. */
    static final Pattern DETAIL = Pattern.compile("\"detail\"\\s*:\\s*\"([^\"]{0,80})");

    /**
     * The status of GET {@code url} ("200"; another status with its problem's {@code detail}: "503 all guest threads are
     * busy"), or the class of the exception that ended it.
     */
    static String outcome(HttpClient client, String url, Duration timeout) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher detail = DETAIL.matcher(r.statusCode() == 200 ? "" : r.body());
            return r.statusCode() + (detail.find() ? " " + detail.group(1).replaceAll("[0-9]+", "N") : "");
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder request, int below) {
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (below > 0 && r.statusCode() >= below) {
                throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
