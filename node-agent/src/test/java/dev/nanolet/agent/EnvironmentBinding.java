package dev.nanolet.agent;

import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A context of {@code configuration} (its {@code @EnableConfigurationProperties} and nothing else) whose environment
 * variables are {@code variables} and nothing else, bound through application.yml as shipped.
 */
public final class EnvironmentBinding {

    private EnvironmentBinding() {}

    public static ConfigurableApplicationContext run(Class<?> configuration, Map<String, Object> variables) {
        var env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return new SpringApplicationBuilder(configuration).environment(env).web(WebApplicationType.NONE).run();
    }
}
