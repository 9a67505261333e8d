package dev.nanolet.agent.http;

import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory;
import org.springframework.stereotype.Component;

/**
 * Binds {@link HttpProperties} before the data-plane listener is made. The listener takes its header limit and idle timeout
 * from {@code nanolet.http.*} through application.yml ({@code server.max-http-request-header-size},
 * {@code server.netty.idle-timeout}), and Netty checks them as the listener is made, before the node's other beans: a header
 * limit of 0 stopped the node with Netty's "maxHeaderSize must be strictly positive", naming no setting. A customizer of the
 * listener's factory is made before the factory is used, so the settings are bound, and refused by name, first. It changes
 * nothing on the factory.
 */
@Component
class ListenerSettings implements WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory> {

    ListenerSettings(HttpProperties checkedFirst) {}

    @Override
    public void customize(ConfigurableReactiveWebServerFactory factory) {}
}
