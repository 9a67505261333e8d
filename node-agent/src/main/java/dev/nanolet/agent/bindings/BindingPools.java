package dev.nanolet.agent.bindings;

import dev.nanolet.agent.config.RuntimeProperties;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The node's connection pools for bindings: one per binding of a deployment (and per version of its
 * secret's values), sized {@code min(maxConcurrency, nanolet.bindings.max-pool-size)}, made on first
 * use and closed by {@link #retain} once no replica of the deployment on this node needs it. Opens the
 * {@link Transaction} of each run.
 */
@Component
@EnableConfigurationProperties(BindingProperties.class)
public class BindingPools implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BindingPools.class);
    static final Set<String> TYPES = Set.of("postgres", "kv");

    private final ConcurrentMap<String, Pool> pools = new ConcurrentHashMap<>();
    /** Digests of the secret values of bindings in use, by the values; cleared by {@link #retain}. */
    private final ConcurrentMap<Map<String, String>, String> digests = new ConcurrentHashMap<>();
    private final BindingProperties props;
    private final BindingMetrics metrics;
    /** Runs each transaction's deadline task (cancels at the deadline are made on virtual threads, not here). */
    private final ScheduledThreadPoolExecutor deadlines;

    /**
     * The node's pools: {@code props} within the guest pool's overrun grace ({@link BindingProperties#within}), where the
     * two settings meet, so a node whose delays would outlast the overrun grace does not start.
     */
    @Autowired
    BindingPools(BindingProperties props, RuntimeProperties runtime, MeterRegistry registry) {
        this(props.within(runtime.overrunGrace()), registry);
    }

    /** Pools with {@code props} as they are: both delays set ({@link BindingProperties#within}). */
    public BindingPools(BindingProperties props, MeterRegistry registry) {
        if (props.terminateAfter() == null || props.silentServerGrace() == null) {
            throw new IllegalArgumentException("the bindings' delays must be set (BindingProperties.within)");
        }
        this.props = props;
        this.metrics = new BindingMetrics(registry);
        this.deadlines = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("binding-deadlines").factory());
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * The bindings of one run of {@code a}'s module, which may last {@code timeout}. Cheap (no pool is made or
     * connection taken until the run's first call), so it may be called on an event-loop thread.
     */
    public Transaction open(Assignment a, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, DeploymentSpec.Binding> declared = new HashMap<>();
        for (DeploymentSpec.Binding b : a.spec().bindings()) {
            if (TYPES.contains(b.type())) {
                declared.put(b.name(), b);
            }
        }
        return new Transaction(declared, b -> bind(a, b), props, deadlines, deadline);
    }

    /**
     * Why a replica of {@code a} cannot start with a module that imports the host functions of
     * {@code importedTypes}; null when it can. Checked once at start, before any request.
     */
    public static String problem(Assignment a, Set<String> importedTypes) {
        Set<String> declared = a.spec().bindings().stream().map(DeploymentSpec.Binding::type).collect(Collectors.toSet());
        for (String type : importedTypes) {
            if (!declared.contains(type)) {
                return "the module imports the nanolet " + type + " functions, but the deployment declares no "
                        + type + " binding (spec.bindings; docs/bindings.md)";
            }
        }
        for (DeploymentSpec.Binding b : a.spec().bindings()) {
            if (!TYPES.contains(b.type())) {
                return "binding '" + b.name() + "' has type '" + b.type() + "'; the node knows postgres and kv";
            }
            Map<String, String> values = a.secrets().bindings().get(b.name());
            if (values == null) {
                return "binding '" + b.name() + "': the node received no values of secret '" + b.secret() + "'";
            }
            try {
                Target.of(values);
            } catch (IllegalArgumentException e) {
                return "binding '" + b.name() + "': secret '" + b.secret() + "': " + e.getMessage();
            }
        }
        return null;
    }

    private Bound bind(Assignment a, DeploymentSpec.Binding b) {
        var meters = metrics.of(new BindingMetrics.Scope(a.namespace(), a.deployment(), b.name()));
        Map<String, String> values = a.secrets().bindings().get(b.name());
        if (values == null) {
            return new Bound(b.type(), meters, null, "the node received no values of secret '" + b.secret() + "'");
        }
        Target target;
        try {
            target = Target.of(values);
        } catch (IllegalArgumentException e) {
            return new Bound(b.type(), meters, null, "secret '" + b.secret() + "': " + e.getMessage());
        }
        int size = Math.min(a.spec().limits().maxConcurrency(), props.maxPoolSize());
        String key = key(a, b.name(), values, size);
        Pool pool = pools.computeIfAbsent(key, k -> new Pool(poolName(a, b.name()), target, size, props, metrics.registry()));
        return new Bound(b.type(), meters, pool, null);
    }

    /**
     * Closes the pools that none of {@code live} (the replicas this node still has) would use; their
     * connections are closed in the background, so a run still holding one finishes first. The meters of
     * deployments with no replica left go too.
     */
    public void retain(Collection<Assignment> live) {
        digests.clear();
        metrics.retain(live.stream().map(a -> a.namespace() + "/" + a.deployment()).collect(Collectors.toSet()));
        Set<String> keep = live.stream()
                .flatMap(a -> a.spec().bindings().stream().filter(b -> a.secrets().bindings().containsKey(b.name()))
                        .map(b -> key(a, b.name(), a.secrets().bindings().get(b.name()),
                                Math.min(a.spec().limits().maxConcurrency(), props.maxPoolSize()))))
                .collect(Collectors.toSet());
        pools.keySet().stream().filter(k -> !keep.contains(k)).toList().forEach(k -> {
            Pool gone = pools.remove(k);
            if (gone != null) {
                log.info("closing binding pool {}", k.substring(0, k.lastIndexOf('@')));
                Thread.ofVirtual().name("binding-pool-close").start(gone::close);
            }
        });
    }

    /** The pool a run of {@code a} would use for {@code binding}; for benchmarks against plain JDBC on the same pool. */
    Pool pool(Assignment a, String binding) {
        return bind(a, a.spec().bindings().stream().filter(b -> b.name().equals(binding)).findFirst().orElseThrow()).pool();
    }

    /**
     * Why the database of {@code binding} of {@code namespace/deployment} is unavailable now (the last
     * attempt to reach it failed, or its connection broke mid-run); empty once a connection was taken again,
     * and for a binding not used yet.
     */
    public Optional<String> unavailable(String namespace, String deployment, String binding) {
        return metrics.unavailable(new BindingMetrics.Scope(namespace, deployment, binding));
    }

    /** How many pools are open; for tests. */
    int size() {
        return pools.size();
    }

    /** How many runs' deadline tasks are waiting; for tests (an ended run leaves none). */
    int pendingDeadlines() {
        return deadlines.getQueue().size();
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        pools.values().forEach(Pool::close);
        pools.clear();
    }

    private static String poolName(Assignment a, String binding) {
        return "nanolet/" + a.namespace() + "/" + a.deployment() + "/" + binding;
    }

    /** The pool's identity: the binding, its size and a digest of its secret's values (a new version gets a new pool). */
    private String key(Assignment a, String binding, Map<String, String> values, int size) {
        return poolName(a, binding) + "@" + size + ":" + digests.computeIfAbsent(values, BindingPools::digest);
    }

    /** A digest of a secret's values; computed once per version of them (a run's binding only looks it up). */
    private static String digest(Map<String, String> values) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(values).forEach((k, v) -> {
                sha.update(k.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A binding as one run sees it.
     *
     * @param pool null when the binding cannot be used; {@code problem} says why
     */
    record Bound(String type, BindingMetrics.Meters meters, Pool pool, String problem) {}
}
