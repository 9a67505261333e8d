package dev.nanolet.agent;

import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A context of {@code configuration} (its {@code @EnableConfigurationProperties} and nothing else) whose environment
 * variables are {@code variables} and nothing else, bound through application.yml as shipped.
 */
public final class EnvironmentBinding {

    private EnvironmentBinding() {}

    public static ConfigurableApplicationContext run(Class<?> configuration, Map<String, Object> variables) {
        return run(configuration, WebApplicationType.NONE, variables);
    }

    /**
     * As {@link #run(Class, Map)}, as an application of that {@code type} ({@code REACTIVE}: with the node's listener, on
     * Reactor Netty's global event loops, which it disposes when it closes, as {@code control.StandaloneAgent} says).
     */
    public static ConfigurableApplicationContext run(Class<?> configuration, WebApplicationType type, Map<String, Object> variables) {
        var env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return new SpringApplicationBuilder(configuration).environment(env).web(type).run();
    }

    /** The message of what stopped such a context from starting (its innermost cause); fails if it started. */
    public static String refusal(Class<?> configuration, Map<String, Object> variables) {
        return refusal(configuration, WebApplicationType.NONE, variables);
    }

    /** As {@link #refusal(Class, Map)}, as an application of that {@code type}. */
    public static String refusal(Class<?> configuration, WebApplicationType type, Map<String, Object> variables) {
        try {
            run(configuration, type, variables).close();
        } catch (RuntimeException e) {
            return NestedExceptionUtils.getMostSpecificCause(e).getMessage();
        }
        throw new AssertionError("started with " + variables);
    }
}
