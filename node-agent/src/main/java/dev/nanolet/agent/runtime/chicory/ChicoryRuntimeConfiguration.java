package dev.nanolet.agent.runtime.chicory;

import dev.nanolet.agent.config.RuntimeProperties;
import dev.nanolet.agent.runtime.WasmRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService wasmDeadlineTimer() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("wasm-deadlines").daemon().factory());
    }

    @Bean
    WasmRuntime wasmRuntime(
            @Value("${nanolet.node.data-dir}") Path dataDir,
            @Qualifier("wasmDeadlineTimer") ScheduledExecutorService wasmDeadlineTimer,
            ObjectProvider<Clock> clock,
            RuntimeProperties runtime) {
        return new ChicoryRuntime(dataDir, wasmDeadlineTimer, clock.getIfAvailable(Clock::systemUTC),
                runtime.limits());
    }
}
