package dev.nanolet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class AuthPropertiesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void refusesToStartWithoutTheAdminToken() {
        runner.withPropertyValues("nanolet.auth.node-token=n").run(context -> assertThat(context)
                .hasFailed()
                .getFailure().rootCause().hasMessageContaining("NANOLET_ADMIN_TOKEN"));
    }

    @Test
    void refusesToStartWithoutTheNodeToken() {
        runner.withPropertyValues("nanolet.auth.admin-token=a", "nanolet.auth.node-token= ").run(context -> assertThat(context)
                .hasFailed()
                .getFailure().rootCause().hasMessageContaining("NANOLET_NODE_TOKEN"));
    }

    @Test
    void bindsBothTokens() {
        runner.withPropertyValues("nanolet.auth.admin-token=a", "nanolet.auth.node-token=n").run(context ->
                assertThat(context.getBean(AuthProperties.class)).isEqualTo(new AuthProperties("a", "n")));
    }

    @Configuration
    @EnableConfigurationProperties(AuthProperties.class)
    static class Config {}
}
