package dev.nanolet.agent.config;

import dev.nanolet.agent.replica.GuestPool;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock, threads and pools the agent's features share. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    NodeProperties.class, PlatformProperties.class, AuthProperties.class, RestartProperties.class,
    DataPlaneProperties.class
})
class AgentConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Guests (HTTP requests and jobs) run here: bounded, platform threads, replaced when a run overstays. */
    @Bean(destroyMethod = "close")
    GuestPool guestPool(DataPlaneProperties props, RuntimeProperties runtime,
            @Qualifier("agentTimer") ScheduledExecutorService agentTimer) {
        return new GuestPool(props.guestThreads(), props.guestQueue(), runtime.overrunGrace(), agentTimer);
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
