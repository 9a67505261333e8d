package dev.nanolet.platform.precondition;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Gives a controller method's {@link Precondition} parameter the request's {@code If-Match} and {@code If-None-Match},
 * and its {@link ConditionalRead} parameter the {@code If-None-Match}; 400 naming the field when one is malformed.
 */
@Configuration(proxyBeanMethods = false)
class PreconditionHeaders implements WebMvcConfigurer, HandlerMethodArgumentResolver {
    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Precondition.class || parameter.getParameterType() == ConditionalRead.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
            WebDataBinderFactory binders) {
        if (parameter.getParameterType() == ConditionalRead.class) {
            return new ConditionalRead(EntityTags.parse(HttpHeaders.IF_NONE_MATCH, field(request, HttpHeaders.IF_NONE_MATCH)));
        }
        return Precondition.of(field(request, HttpHeaders.IF_MATCH), field(request, HttpHeaders.IF_NONE_MATCH));
    }

    /** The field's value, several fields of that name joined as one list; null when absent. */
    private static String field(NativeWebRequest request, String name) {
        String[] values = request.getHeaderValues(name);
        return values == null || values.length == 0 ? null : String.join(", ", values);
    }
}
