import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apply → first 200: how long from {@code PUT …/deployments/{name}} until the new route answers
 * 200 on a node's data plane (first: on any of the given nodes; all: on every one of them, which
 * includes forwarding from a node that does not run it), and how long the PUT itself took to answer.
 * Each round applies a fresh deployment (its own route, 1 replica), polls each node every 5 ms (each on
 * its own thread, once the PUT answered), then
 * deletes the deployment and waits until its route answers 404 on every node; each round's line names the wall-clock time of its PUT (UTC), to find it in
 * the processes' logs. Needs only a JDK 21:
 *
 * <pre>java benchmarks/ApplyLatency.java http://localhost:8090 "$(cat .nanolet/admin-token)" http://localhost:8181,http://localhost:8182 examples/hello.wasm 20</pre>
 */
class ApplyLatency {
    static final java.util.concurrent.ExecutorService POLLERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] a) throws Exception {
        String api = a[0] + "/api/v1";
        String token = a[1];
        List<String> nodes = List.of(a[2].split(","));
        Path wasm = Path.of(a[3]);
        int rounds = a.length > 4 ? Integer.parseInt(a[4]) : 20;
        String digest = upload(api, token, wasm);
        List<Double> first = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        List<Double> put = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String name = "apply-" + ProcessHandle.current().pid() + "-" + i;
            String route = "/bench/" + name;
            java.time.Instant at = java.time.Instant.now();
            long start = System.nanoTime();
            send(auth(api + "/namespaces/bench/deployments/" + name, token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(
                            "{\"module\":\"" + digest + "\",\"http\":{\"path\":\"" + route + "\"},\"replicas\":1}")), 300);
            double putMs = (System.nanoTime() - start) / 1e6;
            // each node polled on its own thread: a miss on one node (which may wait for that node's route-table
            // fetch) must not delay noticing the 200 on the other
            List<java.util.concurrent.CompletableFuture<Double>> answers = nodes.stream()
                    .map(node -> java.util.concurrent.CompletableFuture.supplyAsync(() -> untilOk(node + route, start), POLLERS))
                    .toList();
            List<Double> perNode = answers.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            double firstMs = Collections.min(perNode);
            double allMs = Collections.max(perNode);
            first.add(firstMs);
            all.add(allMs);
            put.add(putMs);
            System.out.printf("round %2d: first 200 after %.0f ms, on every node after %.0f ms (PUT answered after %.0f ms; PUT at %s)%n",
                    i + 1, firstMs, allMs, putMs, at);
            send(auth(api + "/namespaces/bench/deployments/" + name, token).DELETE(), 300);
            // the next round starts once the route is gone everywhere: an apply is measured on a settled cluster,
            // not racing the previous round's termination (its reports, route events and locks)
            for (String node : nodes) {
                while (status(node + route) == 200) {
                    Thread.sleep(5);
                }
            }
        }
        summary("first 200 on any node", first);
        summary("200 on every node", all);
        summary("PUT answered", put);
    }

    /** Polls {@code url} every 5 ms until it answers 200; the milliseconds since {@code start}. */
    static double untilOk(String url, long start) {
        try {
            while (status(url) != 200) {
                if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
                    throw new IllegalStateException(url + " did not answer 200 within 60 s");
                }
                Thread.sleep(5);
            }
            return (System.nanoTime() - start) / 1e6;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void summary(String what, List<Double> millis) {
        Collections.sort(millis);
        System.out.printf("apply -> %s over %d rounds: min %.0f ms, p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
                what, millis.size(), millis.get(0), pct(millis, 50), pct(millis, 90), millis.get(millis.size() - 1));
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String upload(String api, String token, Path wasm) throws Exception {
        String body = send(auth(api + "/modules?name=bench-hello", token).header("Content-Type", "application/wasm")
                .POST(HttpRequest.BodyPublishers.ofFile(wasm)), 300);
        Matcher m = Pattern.compile("\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no digest in " + body);
        }
        return m.group(1);
    }

    static HttpRequest.Builder auth(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }

    static String send(HttpRequest.Builder request, int below) throws Exception {
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= below) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static int status(String url) throws Exception {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
