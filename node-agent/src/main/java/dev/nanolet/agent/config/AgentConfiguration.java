package dev.nanolet.agent.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock and executors the agent's features share (the guest pool is the replica package's own). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    NodeProperties.class, PlatformProperties.class, AuthProperties.class, RestartProperties.class,
    DataPlaneProperties.class, VolumeProperties.class
})
class AgentConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Fetching and compiling modules: blocking I/O off the event loops. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService lifecycleExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nanolet-lifecycle-", 0).factory());
    }

    /** Delays: job restart back-offs, the guest pool's watchdog. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService agentTimer() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("nanolet-timer").daemon().factory());
    }
}
