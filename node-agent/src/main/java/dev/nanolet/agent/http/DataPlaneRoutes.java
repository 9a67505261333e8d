package dev.nanolet.agent.http;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Every path outside {@code /_nanolet/} and {@code /actuator/} is a workload request. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpProperties.class)
class DataPlaneRoutes {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    RouterFunction<ServerResponse> workloads(WorkloadHandler handler) {
        RequestPredicate workload = req -> !req.path().startsWith("/_nanolet/") && !req.path().startsWith("/actuator/");
        return RouterFunctions.route(workload, handler::handle);
    }
}
