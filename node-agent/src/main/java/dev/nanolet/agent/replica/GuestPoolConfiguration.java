package dev.nanolet.agent.replica;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.config.RuntimeProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's one {@link GuestPool}, sized by the data-plane and runtime settings, and its counters
 * {@code nanolet_guest_demoted_total} (runs put in the background, where they pause to keep to their share) and
 * {@code nanolet_guest_written_off_total} (runs that overstayed their deadline), and the gauge
 * {@code nanolet_guest_cpu_waiting} (runs waiting for a CPU slot: the node's CPUs are all in use).
 */
@Configuration(proxyBeanMethods = false)
class GuestPoolConfiguration {

    /** Guests (HTTP requests and jobs) run here: bounded, platform threads, replaced when a run overstays or is demoted. */
    @Bean(destroyMethod = "close")
    GuestPool guestPool(DataPlaneProperties props, RuntimeProperties runtime,
            @Qualifier("agentTimer") ScheduledExecutorService agentTimer, MeterRegistry registry) {
        var background = runtime.backgroundAfter().isZero() ? GuestPool.Background.OFF
                : new GuestPool.Background(runtime.backgroundAfter(), runtime.maxBackgroundThreads(), runtime.backgroundCpu());
        GuestPool pool = new GuestPool(props.guestThreads(), props.guestQueue(), runtime.overrunGrace(), background, runtime.cpuSlots(), agentTimer);
        FunctionCounter.builder("nanolet.guest.demoted", pool, GuestPool::demoted)
                .description("Guest runs put in the background after using their CPU quantum").register(registry);
        FunctionCounter.builder("nanolet.guest.written.off", pool, GuestPool::writtenOff)
                .description("Guest threads written off because their run overstayed its deadline").register(registry);
        Gauge.builder("nanolet.guest.cpu.waiting", pool, GuestPool::waitingForCpu)
                .description("Guest runs waiting for one of the node's CPU slots").register(registry);
        return pool;
    }
}
