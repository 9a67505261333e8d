package dev.nanolet.platform.web;

import dev.nanolet.platform.BadRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses a request parameter its handler reads given more than once ({@code ?namespace=a&namespace=b},
 * {@code ?limit=5&limit=6}): 400 naming it, before the handler runs. Every {@code @RequestParam} of the API holds one
 * value, and Spring joins repeats with a comma ({@code a,b}) before reading them: a filter would then match nothing
 * and answer an empty page, a number or a boolean would be refused with a rule about a value no one sent.
 */
@Configuration(proxyBeanMethods = false)
public class RepeatedParameters implements WebMvcConfigurer, HandlerInterceptor {
    static final String MESSAGE = "was given more than once; give it once";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method) {
            for (MethodParameter parameter : method.getMethodParameters()) {
                String name = name(parameter);
                String[] given = name == null ? null : request.getParameterValues(name);
                if (given != null && given.length > 1) {
                    throw new Refused(name);
                }
            }
        }
        return true;
    }

    /** The name of the request parameter {@code parameter} is bound to; null when it is not a {@code @RequestParam}. */
    public static String name(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param == null) {
            return null;
        }
        String named = param.name().isEmpty() ? param.value() : param.name();
        return named.isEmpty() ? parameter.getParameter().getName() : named;
    }

    /** Answered 400 with {@code errors} naming the parameter ({@link ProblemAdvice}). */
    static final class Refused extends BadRequestException {
        final String parameter;

        Refused(String parameter) {
            super(parameter + ": " + MESSAGE);
            this.parameter = parameter;
        }
    }
}
