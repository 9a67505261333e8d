package dev.nanolet.agent.runtime.chicory;

import dev.nanolet.agent.config.RuntimeProperties;
import dev.nanolet.agent.runtime.WasmRuntime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's {@link WasmRuntime}: Chicory with compiled classes cached, HMAC-signed, under
 * {@code nanolet.node.data-dir}/classes (env {@code NANOLET_NODE_DATA_DIR}), limits from {@code nanolet.runtime.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RuntimeProperties.class)
class ChicoryRuntimeConfiguration {

    /**
     * Fires the deadline of every run. A run that ends in time cancels its deadline, and the
     * cancelled task leaves the timer's queue at once: by default it would stay there until its
     * time (10 s by default), so a node serving thousands of requests a second held tens of
     * thousands of dead tasks, each keeping its run's {@link Deadline} reachable,
     * long enough to be copied by every young collection and promoted to the old generation.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService wasmDeadlineTimer() {
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("wasm-deadlines").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Bean
    WasmRuntime wasmRuntime(
            @Value("${nanolet.node.data-dir}") Path dataDir,
            @Qualifier("wasmDeadlineTimer") ScheduledExecutorService wasmDeadlineTimer,
            ObjectProvider<Clock> clock,
            RuntimeProperties runtime,
            ObjectProvider<MeterRegistry> registry) {
        var chicory = new ChicoryRuntime(dataDir, wasmDeadlineTimer, clock.getIfAvailable(Clock::systemUTC), runtime.limits());
        registry.ifAvailable(r -> Gauge.builder("nanolet.guest.memory.used", chicory, WasmRuntime::guestMemoryInUse).baseUnit("bytes")
                .description("Linear memory the node's guest runs hold now, of their budget (nanolet.runtime.guest-memory)")
                .register(r));
        return chicory;
    }
}
