package dev.nanolet.agent.bindings;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.nanolet.agent.FakePlatform;
import dev.nanolet.agent.NodeAgentApplication;
import dev.nanolet.agent.runtime.CompiledModule;
import dev.nanolet.agent.runtime.Fixtures;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.agent.runtime.RuntimeLimits;
import dev.nanolet.agent.runtime.chicory.ChicoryRuntime;
import dev.nanolet.testsupport.TestPostgres;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ResolvedSecrets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The host API's cost (docs/performance.md, "Bindings"), two figures on one PostgreSQL (NANOLET_TEST_JDBC_URL or
 * Testcontainers, loopback):
 * <ol>
 *   <li>per query: the probe module running 200 single-row selects through {@code nanolet.pg_query} in one run
 *       (minus the same run with none: the fresh instance) against the same 200 selects with plain JDBC on a
 *       connection of the same pool;
 *   <li>req/s: {@code GET /todos/7} of examples/bindings/todo.wasm on a real node agent (CGI, a fresh instance per
 *       request, the host API) against the same select as a plain Spring WebFlux endpoint on the same pool,
 *       both driven by wrk ({@code -t2 -c8}).
 * </ol>
 * Run (after {@code ./mvnw -B -ntp -q -Ddev -pl node-agent -am -Pbenchmarks test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test}):
 * <pre>java -cp node-agent/target/test-classes:node-agent/target/classes:$(cat node-agent/target/bench.cp) dev.nanolet.agent.bindings.BindingsBenchmark [per-query]</pre>
 * ({@code per-query}: the first figure only).
 */
public final class BindingsBenchmark {

    static final int QUERIES = 200;
    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    static final String SELECT = "select id, title, done from todos where id = $1";

    public static void main(String[] args) throws Exception {
        System.out.println("load average before: " + loadAverage());
        TestPostgres.Database db = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            c.createStatement().execute("create table todos (id bigserial primary key, title text not null, done boolean not null default false)");
            c.createStatement().execute("insert into todos (title) select 'todo ' || i from generate_series(1, 100) i");
        }
        Map<String, String> values = Map.of("url", db.url(), "user", db.user(), "password", db.password());
        perQuery(values);
        if (args.length == 0) {
            requestsPerSecond(values);
        }
        System.out.println("load average after: " + loadAverage());
        System.exit(0);
    }

    static Assignment assignment(String digest, Map<String, String> values) {
        var spec = new DeploymentSpec(digest, new DeploymentSpec.HttpSpec("/todos"), null, 1, null, Map.of(),
                new DeploymentSpec.Limits(32, 10_000, 8), null, null, List.of(new DeploymentSpec.Binding("db", "postgres", "todo-db"), new DeploymentSpec.Binding("kv", "kv", "todo-db")), null);
        return new Assignment(UUID.randomUUID(), "default", "todo", 1, digest, 0, spec, false,
                new ResolvedSecrets(Map.of(), Map.of("db", values, "kv", values)));
    }

    // ---- 1. per query --------------------------------------------------------------------------------

    static void perQuery(Map<String, String> values) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        byte[] bytes = Fixtures.bytes("bindings/probe.wasm");
        CompiledModule probe = new ChicoryRuntime(Files.createTempDirectory("bench"), timer, Clock.systemUTC(), RuntimeLimits.DEFAULTS)
                .compile(Fixtures.digest(bytes), bytes);
        var pools = new BindingPools(BindingProperties.DEFAULTS, new SimpleMeterRegistry());
        Assignment a = assignment("sha256:probe", values);
        String one = "{\"sql\":\"" + SELECT + "\",\"params\":[7]}\n";
        List<Double> host = new ArrayList<>();
        List<Double> empty = new ArrayList<>();
        List<Double> jdbc = new ArrayList<>();
        List<Double> hostCpu = new ArrayList<>();
        List<Double> emptyCpu = new ArrayList<>();
        List<Double> jdbcCpu = new ArrayList<>();
        for (int round = 0; round < 130; round++) {
            long c0 = CPU.getCurrentThreadCpuTime();
            double h = run(probe, pools, a, one.repeat(QUERIES));
            long c1 = CPU.getCurrentThreadCpuTime();
            double e = run(probe, pools, a, "");
            long c2 = CPU.getCurrentThreadCpuTime();
            double j = jdbc(pools.pool(a, "db"));
            long c3 = CPU.getCurrentThreadCpuTime();
            if (round >= 30) { // the first rounds warm up the JIT and the pool
                host.add(h);
                empty.add(e);
                jdbc.add(j);
                hostCpu.add((c1 - c0) / 1000.0);
                emptyCpu.add((c2 - c1) / 1000.0);
                jdbcCpu.add((c3 - c2) / 1000.0);
            }
        }
        double hostPerQuery = (median(host) - median(empty)) / QUERIES;
        double jdbcPerQuery = median(jdbc) / QUERIES;
        System.out.printf("per query (median of 100 rounds of %d): host API %.1f µs, plain JDBC on the same pool %.1f µs, "
                + "overhead %+.0f%% (a run with no query: %.0f µs)%n", QUERIES, hostPerQuery, jdbcPerQuery,
                100 * (hostPerQuery / jdbcPerQuery - 1), median(empty));
        double hostCpuPerQuery = (median(hostCpu) - median(emptyCpu)) / QUERIES;
        double jdbcCpuPerQuery = median(jdbcCpu) / QUERIES;
        System.out.printf("client CPU per query (the calling thread's CPU time, less sensitive to the machine's load): "
                + "host API %.1f µs, plain JDBC %.1f µs, extra %.1f µs%n", hostCpuPerQuery, jdbcCpuPerQuery,
                hostCpuPerQuery - jdbcCpuPerQuery);
        pools.close();
        timer.shutdownNow();
    }

    static double run(CompiledModule probe, BindingPools pools, Assignment a, String body) {
        byte[] in = body.getBytes(UTF_8);
        // print=count: the probe prints one line of counts at the end instead of every result, as the JDBC side reads
        // the columns and prints nothing (the guest's own printing is not the host API's cost)
        var env = Map.of("REQUEST_METHOD", "POST", "QUERY_STRING", "op=query&b=db&print=count", "CONTENT_LENGTH", String.valueOf(in.length));
        var out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try (Transaction tx = pools.open(a, Duration.ofSeconds(10))) {
            var result = probe.run(new Invocation(List.of("probe"), env, new ByteArrayInputStream(in), out,
                    new ByteArrayOutputStream(), 32, Duration.ofSeconds(10), List.of(), tx));
            tx.end(result.succeeded());
            if (!result.succeeded()) {
                throw new IllegalStateException(result.toString());
            }
        }
        double micros = (System.nanoTime() - start) / 1000.0;
        long statements = body.isEmpty() ? 0 : body.split("\n").length;
        String counts = out.toString(UTF_8).strip();
        if (!body.isEmpty() && !counts.endsWith("\n" + statements + " 0 " + counts.substring(counts.lastIndexOf(' ') + 1))) {
            throw new IllegalStateException("the probe did not run " + statements + " queries without failure: " + counts);
        }
        return micros;
    }

    static double jdbc(Pool pool) throws Exception {
        long start = System.nanoTime();
        try (Connection c = pool.connection()) {
            for (int i = 0; i < QUERIES; i++) {
                try (PreparedStatement ps = c.prepareStatement("select id, title, done from todos where id = ?")) {
                    ps.setLong(1, 7);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getLong(1);
                            rs.getString(2);
                            rs.getBoolean(3);
                        }
                    }
                }
            }
            c.rollback();
        }
        return (System.nanoTime() - start) / 1000.0;
    }

    // ---- 2. requests per second ----------------------------------------------------------------------

    static void requestsPerSecond(Map<String, String> values) throws Exception {
        var platform = new FakePlatform();
        Path data = Files.createTempDirectory("bench-node");
        ConfigurableApplicationContext agent = SpringApplication.run(NodeAgentApplication.class,
                "--server.port=0", "--nanolet.platform.url=" + platform.url(), "--nanolet.node.name=bench",
                "--nanolet.node.data-dir=" + data, "--nanolet.auth.node-token=" + FakePlatform.TOKEN, "--logging.level.root=WARN");
        byte[] todo = Fixtures.bytes("bindings/todo.wasm");
        String digest = Fixtures.digest(todo);
        platform.modules.put(digest, todo);
        Assignment a = assignment(digest, values);
        platform.put(a);
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (platform.last(a.replicaId()) == null || platform.last(a.replicaId()).phase() != ReplicaPhase.Running) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the todo replica did not start");
            }
            Thread.sleep(50);
        }
        int agentPort = agent.getEnvironment().getProperty("local.server.port", Integer.class);

        var pools = new BindingPools(BindingProperties.DEFAULTS, new SimpleMeterRegistry());
        Baseline.pool = pools.pool(a, "db");
        ConfigurableApplicationContext spring = SpringApplication.run(Baseline.class, "--server.port=0", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--spring.application.name=baseline", "--management.endpoints.web.exposure.include=");
        int springPort = spring.getEnvironment().getProperty("local.server.port", Integer.class);

        String wasmUrl = "http://127.0.0.1:" + agentPort + "/todos/7";
        String springUrl = "http://127.0.0.1:" + springPort + "/todos/7";
        System.out.println("wasm   answers: " + body(wasmUrl));
        System.out.println("spring answers: " + body(springUrl));
        wrk(wasmUrl, 3);
        wrk(springUrl, 3); // warm-up
        List<Double> wasm = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            wasm.add(wrk(wasmUrl, 10));
            plain.add(wrk(springUrl, 10));
        }
        System.out.printf("GET /todos/7, wrk -t2 -c8, 2 × 10 s each, interleaved: todo.wasm on a node %.0f req/s, "
                + "the same select as a Spring WebFlux endpoint %.0f req/s (ratio %.2f); load average %s%n",
                mean(wasm), mean(plain), mean(wasm) / mean(plain), loadAverage());
        spring.close();
        agent.close();
        pools.close();
        platform.close();
    }

    static String body(String url) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    static double wrk(String url, int seconds) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c8", "-d" + seconds + "s", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!m.find() || out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** The todo module's GET /todos/{id} as a plain Spring WebFlux endpoint: JDBC on boundedElastic, the same JSON. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    public static class Baseline {
        static Pool pool;

        @Bean
        RouterFunction<ServerResponse> todos() {
            return RouterFunctions.route().GET("/todos/{id}", req -> Mono.fromCallable(() -> one(Long.parseLong(req.pathVariable("id"))))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(json -> json == null ? ServerResponse.notFound().build()
                            : ServerResponse.ok().header("Content-Type", "application/json").bodyValue(json)))
                    .build();
        }

        static String one(long id) throws Exception {
            try (Connection c = pool.connection(); PreparedStatement ps = c.prepareStatement("select id, title, done from todos where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    String json = rs.next() ? "{\"id\":" + rs.getLong(1) + ",\"title\":\"" + rs.getString(2).replace("\"", "\\\"")
                            + "\",\"done\":" + rs.getBoolean(3) + "}\n" : null;
                    c.commit();
                    return json;
                }
            }
        }
    }
}
