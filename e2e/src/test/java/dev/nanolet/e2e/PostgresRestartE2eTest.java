package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.testsupport.TestPostgres;
import dev.nanolet.wire.EvictionStatus;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Replica;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stopped and started again under API writes and data-plane load, on a server of the
 * test's own ({@link OwnPostgres}): while it is down every API write answers a clean 503 problem+json
 * with {@code Retry-After} within the client's 5 s, platform-api is healthy within {@link #RECOVERY} of PostgreSQL's
 * return, every write that got a 2xx is there, the nodes served throughout, and nothing was evicted for the outage
 * ({@link #nothingWasEvicted}). And PostgreSQL frozen
 * (no reset, nothing answers): every API request answers within the read timeout, none hangs.
 */
class PostgresRestartE2eTest {
    /** Longer than the lease: the nodes cannot renew meanwhile, and must not be evicted for it. */
    static final Duration LEASE = Duration.ofSeconds(LocalPlatform.LEASE_SECONDS);
    static final Duration OUTAGE = LEASE.plusSeconds(1);
    @RegisterExtension
    static final LocalPlatform platform = new LocalPlatform();
    static OwnPostgres postgres;
    static ApiClient api;
    static ServiceProcess nodeA;
    static ServiceProcess nodeB;
    static String hello;
    /** While PostgreSQL is stopped: how each write tried then was answered. */
    static final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
    static final List<String> whileDown = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** platform-api's read timeout on its PostgreSQL connections ({@code NANOLET_DB_SOCKET_TIMEOUT_SECONDS}), short for the test. */
    static final int SOCKET_TIMEOUT_SECONDS = 3;
    /** A request waits this long for a pool connection before its 503 ({@code NANOLET_DB_CONNECTION_TIMEOUT_MS}'s default). */
    static final Duration POOL_WAIT = Duration.ofSeconds(2);
    /** How long any API request may take while PostgreSQL is frozen: a read's timeout, then a wait for the pool, and slack. */
    static final Duration FROZEN_BOUND = Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS).plus(POOL_WAIT).plusSeconds(3);
    /**
     * How soon platform-api must be healthy once PostgreSQL is back (started again, or thawed). Its pool tries to connect
     * every quarter second meanwhile ({@code HikariBackoffCapTest} times that) and the printed time is about that; the
     * bound is not 5 s, which the delays of a CI machine that runs two builds at once can use up.
     */
    static final Duration RECOVERY = Duration.ofSeconds(15);

    @BeforeAll
    static void start() {
        postgres = new OwnPostgres().start();
        List<ServiceProcess> nodes = platform.onDatabase(postgres.database())
                .withApiEnv("NANOLET_DB_SOCKET_TIMEOUT_SECONDS", String.valueOf(SOCKET_TIMEOUT_SECONDS)).start("node-a zone=a", "node-b zone=b");
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
        api = platform.client();
        await("both nodes Ready").until(() -> api.nodes().stream().filter(NodeInfo::ready).count() == 2);
        hello = api.upload(Paths.example("hello")).digest();
    }

    @AfterAll
    static void stop() {
        platform.close();
        postgres.close();
    }

    @Test
    void platformApiRecoversOncePostgresReturnsLosingNoAcknowledgedWriteAndNodesServeThroughout()
            throws InterruptedException, SQLException {
        api.apply("pg", "web", Specs.http(hello, "/pg-web", 2));
        Replicas.awaitRunning(api, "pg", "web", 2, Duration.ofSeconds(60));
        Replicas.awaitAnswer(nodeA, "/pg-web", 200);
        Replicas.awaitAnswer(nodeB, "/pg-web", 200);
        Map<UUID, String> placed = placement();
        Map<String, Integer> onNodes = replicasOnNodes();
        List<String> pausesBefore = pauses();
        Set<String> acknowledged = new ConcurrentSkipListSet<>();
        AtomicInteger attempts = new AtomicInteger();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("writer").daemon().factory());

        try (Load load = Load.start(List.of(nodeA.url() + "/pg-web", nodeB.url() + "/pg-web"), 9_000, Duration.ofSeconds(180))) {
            writer.scheduleWithFixedDelay(() -> write(attempts.incrementAndGet(), acknowledged), 0, 100, TimeUnit.MILLISECONDS);
            await("writes acknowledged before the stop").until(() -> acknowledged.size() >= 5);

            postgres.stop();
            down.set(true);
            int atStop = attempts.get();
            long stopped = System.nanoTime();
            await("PostgreSQL down for longer than a lease, writes tried meanwhile").atMost(Duration.ofSeconds(30))
                    .until(() -> attempts.get() >= atStop + 2 && System.nanoTime() - stopped > OUTAGE.toNanos());
            down.set(false);
            postgres.start();
            long back = System.nanoTime();
            await("platform-api healthy").atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(PostgresRestartE2eTest::healthy);
            System.out.printf("platform-api healthy %d ms after PostgreSQL's return%n", (System.nanoTime() - back) / 1_000_000);
            int atReturn = acknowledged.size();
            await("writes acknowledged after the return").until(() -> acknowledged.size() >= atReturn + 5);
            writer.shutdown();
            assertThat(writer.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            int answered = load.answered();
            await("the data plane answers on after the return").until(() -> load.answered() >= answered + 100);
            // an eviction for the outage comes at the latest a lease after the return (the watch), when the nodes have renewed
            await("the same replicas on the same nodes until a lease after the return").during(LEASE.plusSeconds(2))
                    .atMost(LEASE.plusSeconds(10))
                    .untilAsserted(() -> assertThat(placement()).as("replicas (id → node) until a lease after the return").isEqualTo(placed));
            load.stop();
            assertThat(load.failures()).as("data-plane requests while PostgreSQL was down and after: %s", load).isEmpty();
        } finally {
            writer.shutdownNow();
        }
        System.out.printf("%d writes tried, %d acknowledged; while PostgreSQL was down: %s%n", attempts.get(), acknowledged.size(), whileDown);
        assertThat(whileDown).as("writes tried while PostgreSQL was down").isNotEmpty()
                .allMatch(answer -> answer.equals("503 problem+json Retry-After"));
        for (String name : acknowledged) {
            assertThat(api.exists("pg", name)).as("acknowledged write %s", name).isTrue();
        }
        nothingWasEvicted(placed, onNodes, pausesBefore);
    }

    /**
     * Nothing was evicted for the outage, by every trace an eviction leaves: the same replicas (ids) on the same nodes, both
     * nodes registered, Ready and counting the replicas they counted before, no node's replica removed (no {@code deleted}
     * assignment change, no {@code Evicted} or {@code NodeNotReady} event), and evictions not paused now: a pause the
     * outage caused (no node Ready in the first pass after the return) recorded once, and its resume.
     */
    private static void nothingWasEvicted(Map<UUID, String> placed, Map<String, Integer> onNodes, List<String> pausesBefore)
            throws SQLException {
        assertThat(placement()).as("replicas (id → node) after the outage, none evicted for it").isEqualTo(placed);
        assertThat(api.nodes()).as("the nodes after the outage").allMatch(NodeInfo::ready, "Ready");
        assertThat(replicasOnNodes()).as("replicas each node counts after the outage").isEqualTo(onNodes);
        assertThat(query("SELECT count(*) FROM assignment_changes WHERE kind = 'deleted'"))
                .as("replicas removed from a node (assignment changes 'deleted')").containsExactly("0");
        assertThat(query("SELECT reason || ' ' || object FROM events WHERE reason IN ('NodeNotReady', 'Evicted')"))
                .as("eviction events").isEmpty();
        List<String> after = pauses();
        assertThat(after).as("pauses and resumes of evictions recorded before the outage (%s) and after it", pausesBefore)
                .satisfiesAnyOf(a -> assertThat(a).isEqualTo(pausesBefore), a -> assertThat(a).isEqualTo(List.of(
                        "EvictionsPaused " + (count(pausesBefore, 0) + 1), "EvictionsResumed " + (count(pausesBefore, 1) + 1))));
        assertThat(api.evictions()).as("GET /evictions after the outage").isEqualTo(new EvictionStatus(false, 2, 2));
    }

    /**
     * Where the replicas of pg/web run: id → node, "(none)" for one bound to no node (Pending), so that a failed comparison
     * shows it instead of failing in {@code toMap} with a NullPointerException.
     */
    private static Map<UUID, String> placement() {
        return api.replicas("pg", "web").stream().collect(Collectors.toMap(Replica::id, r -> Objects.requireNonNullElse(r.node(), "(none)")));
    }

    /** How many times the platform recorded that evictions paused, and resumed: "EvictionsPaused n", "EvictionsResumed m". */
    private static List<String> pauses() throws SQLException {
        return query("""
                SELECT r || ' ' || coalesce((SELECT sum(count) FROM events WHERE reason = r), 0)
                FROM unnest(ARRAY['EvictionsPaused', 'EvictionsResumed']) AS r""");
    }

    private static long count(List<String> pauses, int i) {
        return Long.parseLong(pauses.get(i).substring(pauses.get(i).indexOf(' ') + 1));
    }

    /** How many replicas each node says it runs (name → {@link NodeInfo#replicas}). */
    private static Map<String, Integer> replicasOnNodes() {
        return api.nodes().stream().collect(Collectors.toMap(NodeInfo::name, NodeInfo::replicas));
    }

    /** The rows of {@code sql} (one column each, as text), read from platform-api's database. */
    private static List<String> query(String sql) throws SQLException {
        TestPostgres.Database db = postgres.database();
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /**
     * A PostgreSQL that stops answering without closing anything (frozen: a server stuck on its disk, a
     * link that drops packets) must not hold API requests, nor the pool's connections, for as long as TCP
     * keeps trying: every request sent meanwhile answers within the read timeout and the pool's wait
     * (503 problem+json), and platform-api is healthy again within {@link #RECOVERY} of the server going on.
     */
    @Test
    void aFrozenPostgresAnswersEveryApiRequestWithinTheReadTimeoutAndPlatformApiRecoversWhenItGoesOn() throws InterruptedException {
        await("platform-api healthy").until(PostgresRestartE2eTest::healthy);
        Duration bound = FROZEN_BOUND;
        List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("reader").daemon().factory());
        try (var requests = Executors.newVirtualThreadPerTaskExecutor()) {
            // reads every 50 ms keep the pool's connections in use, so that some are in the middle of a query when it freezes
            reader.scheduleAtFixedRate(() -> requests.submit(() -> read(inFlight, answers)), 0, 50, TimeUnit.MILLISECONDS);
            await("reads answered before the freeze").until(() -> answers.size() >= 10);
            answers.clear();
            postgres.freeze();
            long frozen = System.nanoTime();
            try {
                await("frozen for longer than the bound, reads sent meanwhile").atMost(Duration.ofSeconds(30))
                        .until(() -> System.nanoTime() - frozen > bound.plusSeconds(4).toNanos());
                reader.shutdown();
                assertThat(reader.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
                await("every read sent during the freeze answered").atMost(bound.plusSeconds(1)).until(() -> inFlight.get() == 0);
            } finally {
                postgres.thaw();
            }
            long back = System.nanoTime();
            await("platform-api healthy").atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(PostgresRestartE2eTest::healthy);
            System.out.printf("platform-api healthy %d ms after PostgreSQL went on; %d reads during the freeze: %s%n",
                    (System.nanoTime() - back) / 1_000_000, answers.size(), answers.stream().distinct().toList());
        } finally {
            reader.shutdownNow();
        }
        assertThat(answers).as("reads sent while PostgreSQL was frozen, each answered within %s", bound).isNotEmpty()
                .allSatisfy(answer -> assertThat(answer).matches("(200|503 problem\\+json Retry-After) in time"));
        assertThat(answers).as("reads while PostgreSQL was frozen").anyMatch(answer -> answer.startsWith("503"));
        assertThat(ApiClient.get(platform.apiUrl() + "/actuator/health").statusCode()).isEqualTo(200);
        api.apply("pg", "after-freeze", Specs.http(hello, "/pg-after-freeze", 0));
        assertThat(api.exists("pg", "after-freeze")).as("a write after the freeze").isTrue();
    }

    /** One API read with a client timeout well past the bound; its answer, and whether it came within the bound, recorded. */
    private static void read(AtomicInteger inFlight, List<String> answers) {
        inFlight.incrementAndGet();
        HttpRequest get = HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/api/v1/namespaces/pg/deployments"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + platform.adminToken).GET().build();
        long t0 = System.nanoTime();
        String answer;
        try {
            var response = ApiClient.send(get);
            answer = response.statusCode() == 200 ? "200" : failure(response);
        } catch (RuntimeException e) {
            answer = e.toString();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        answers.add(answer + (millis <= FROZEN_BOUND.toMillis() ? " in time" : " after " + millis + " ms"));
        inFlight.decrementAndGet();
    }

    /** One API write: a new deployment (no replicas); remembered when it got a 2xx. */
    private static void write(int i, Set<String> acknowledged) {
        String name = "w-" + i;
        try {
            HttpRequest put = HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/api/v1/namespaces/pg/deployments/" + name))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + platform.adminToken)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(Specs.http(hello, "/pg-" + name, 0))))
                    .build();
            boolean wasDown = down.get();
            var answer = ApiClient.send(put);
            int status = answer.statusCode();
            if (status >= 200 && status < 300) {
                acknowledged.add(name);
            }
            if (wasDown && down.get()) {
                whileDown.add(failure(answer));
            }
        } catch (RuntimeException e) {
            // not acknowledged, so not checked; while PostgreSQL is down it must not happen: a clean 503 comes within the timeout
            if (down.get()) {
                whileDown.add(e.toString());
            }
        }
    }

    /** A refused answer as the tests compare it: status, media type without {@code application/}, and whether it said when to retry. */
    private static String failure(java.net.http.HttpResponse<String> answer) {
        return answer.statusCode() + " " + answer.headers().firstValue("Content-Type").orElse("").replace("application/", "")
                + answer.headers().firstValue("Retry-After").map(r -> " Retry-After").orElse("");
    }

    private static boolean healthy() {
        try {
            return ApiClient.get(platform.apiUrl() + "/actuator/health").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
