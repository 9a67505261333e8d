package dev.nanolet.platform;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;

/**
 * Binds one {@code @ConfigurationProperties} record with Spring's {@link Binder}, as platform-api's start does, from settings
 * written as in application.yaml ({@code nanolet.control.interval=0s}); the record's defaults fill in the rest.
 */
public final class SettingsBinding {

    private SettingsBinding() {}

    public static <T> T bind(Class<T> type, Map<String, String> settings) {
        String prefix = type.getAnnotation(ConfigurationProperties.class).value();
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate(prefix, Bindable.of(type));
    }

    /** The message of what refused these settings (its innermost cause); fails if they bound. */
    public static String refusal(Class<?> type, String setting, String value) {
        try {
            bind(type, Map.of(setting, value));
        } catch (RuntimeException e) {
            return NestedExceptionUtils.getMostSpecificCause(e).getMessage();
        }
        throw new AssertionError(setting + "=" + value + " bound");
    }
}
