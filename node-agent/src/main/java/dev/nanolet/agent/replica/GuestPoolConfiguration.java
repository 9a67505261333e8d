package dev.nanolet.agent.replica;

import dev.nanolet.agent.config.DataPlaneProperties;
import dev.nanolet.agent.config.RuntimeProperties;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's one {@link GuestPool}, sized by the data-plane and runtime settings. */
@Configuration(proxyBeanMethods = false)
class GuestPoolConfiguration {

    /** Guests (HTTP requests and jobs) run here: bounded, platform threads, replaced when a run overstays. */
    @Bean(destroyMethod = "close")
    GuestPool guestPool(DataPlaneProperties props, RuntimeProperties runtime,
            @Qualifier("agentTimer") ScheduledExecutorService agentTimer) {
        return new GuestPool(props.guestThreads(), props.guestQueue(), runtime.overrunGrace(), agentTimer);
    }
}
