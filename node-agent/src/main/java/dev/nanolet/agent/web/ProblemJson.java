package dev.nanolet.agent.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanolet.wire.Problem;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the node writes a {@link Problem}: without {@code moreErrors} when it is null, as platform-api does. The wire
 * module has no Jackson, so the rule is a mix-in on the application's mapper, which writes every problem the node
 * answers; before, each carried {@code "moreErrors":null}.
 */
@Configuration(proxyBeanMethods = false)
class ProblemJson {

    @Bean
    JsonMapperBuilderCustomizer leaveOutNullMoreErrors() {
        return builder -> builder.addMixIn(Problem.class, ProblemMixIn.class);
    }

    /** Annotations for {@link Problem}'s accessors. */
    interface ProblemMixIn {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer moreErrors();
    }
}
