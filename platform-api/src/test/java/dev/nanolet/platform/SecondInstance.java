package dev.nanolet.platform;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** Another platform-api instance on the same database as a test's context, on its own random port. */
public final class SecondInstance {
    private SecondInstance() {}

    /** {@code arguments} as on a command line, for example {@code --nanolet.control.enabled=true}. */
    public static ConfigurableApplicationContext start(Environment first, String... arguments) {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + first.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + first.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + first.getProperty("spring.datasource.password"),
                "--nanolet.auth.admin-token=" + PlatformApiTest.ADMIN_TOKEN,
                "--nanolet.auth.node-token=" + PlatformApiTest.NODE_TOKEN,
                "--nanolet.control.enabled=false"));
        all.addAll(List.of(arguments));
        java.util.Map<String, String> byName = new java.util.LinkedHashMap<>();
        all.forEach(a -> byName.put(a.substring(0, a.indexOf('=')), a));
        return new SpringApplicationBuilder(PlatformApiApplication.class).run(byName.values().toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
