package dev.nanolet.platform.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.yaml.JacksonYamlHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring registers a YAML converter for every body once jackson-dataformat-yaml is on the class path (apply and
 * diff need it, and read their YAML themselves). Through it a deployment PUT, a scale or the node protocol took
 * YAML read past {@link JsonInputRules} and the strict bodies: an unknown field passed silently, a NUL reached
 * PostgreSQL. Without it those endpoints answer a YAML body 415, naming the JSON types they take.
 */
@Configuration(proxyBeanMethods = false)
class JsonBodiesOnly implements WebMvcConfigurer {
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(JacksonYamlHttpMessageConverter.class::isInstance));
    }
}
