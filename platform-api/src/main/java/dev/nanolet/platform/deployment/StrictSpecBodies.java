package dev.nanolet.platform.deployment;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.RollbackRequest;
import dev.nanolet.wire.ScaleRequest;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What users write — a deployment spec, a scale, a rollback — is read strictly: an unknown
 * field (a typo such as {@code "replica": 3}) is refused instead of silently ignored (422 naming
 * it), a fraction is not truncated to a whole number, and a {@code null} inside {@code args} is
 * refused by its index; a secret reference may be written inside {@code env} ({@link SecretEnvSyntax}). Everything else, the node protocol in particular, stays tolerant so
 * agents and platform of different versions keep talking.
 */
@Configuration(proxyBeanMethods = false)
class StrictSpecBodies implements WebMvcConfigurer {
    static final List<Class<?>> STRICT = List.of(DeploymentSpec.class, ScaleRequest.class, RollbackRequest.class);

    private final JsonMapper strict;

    StrictSpecBodies(JsonMapper json) {
        this.strict = strict(json);
    }

    /** The application's mapper, made strict for the user's bodies. */
    static JsonMapper strict(JsonMapper json) {
        return json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withConfigOverride(List.class, o -> o.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
                .addModule(SecretEnvSyntax.module())
                .build();
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConverters(converter -> {
            if (converter instanceof JacksonJsonHttpMessageConverter jackson) {
                STRICT.forEach(type -> jackson.registerMappersForType(type,
                        mappers -> mappers.put(MediaType.APPLICATION_JSON, strict)));
            }
        });
    }
}
