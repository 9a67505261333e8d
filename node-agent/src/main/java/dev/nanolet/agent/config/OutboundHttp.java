package dev.nanolet.agent.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * The connector under the {@code WebClient}s the agent builds (the platform client):
 * Spring's lifecycle-aware Reactor connector, which makes its HttpClient again when the context starts
 * after a stop. Boot's own connector keeps the event loops and pool of its first start, which the
 * resource factory disposes on stop, so after a stop and start (Spring's test context cache pauses a
 * context this way) every outbound call failed with "event executor terminated". Primary: the
 * forwarder has a connector of its own ({@code http.ForwardingHttp}), which passes bytes on as they are.
 */
@Configuration(proxyBeanMethods = false)
class OutboundHttp {

    @Bean
    @Primary
    ClientHttpConnector clientHttpConnector(ReactorResourceFactory resources) {
        return new ReactorClientHttpConnector(resources, client -> client);
    }
}
