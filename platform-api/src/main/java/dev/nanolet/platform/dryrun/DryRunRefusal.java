package dev.nanolet.platform.dryrun;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.web.RepeatedParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses {@code dryRun} (400, naming it) on every write under {@code /api/} whose handler does not take it as a request
 * parameter ({@link DryRun}), and {@code dryRun} in another case on every write: a caller that believes it runs a dry
 * run must never have its write made for real.
 * Runs after authentication and authorization (filters) and before the handler reads the body; reads ignore it.
 */
@Configuration(proxyBeanMethods = false)
class DryRunRefusal implements WebMvcConfigurer, HandlerInterceptor {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!WRITES.contains(request.getMethod())) {
            return true;
        }
        if (request.getParameterMap().keySet().stream().anyMatch(DryRunRefusal::misspelt)) {
            throw new BadRequestException("dryRun: the parameter is spelt dryRun; nothing was done");
        }
        if (request.getParameterMap().containsKey(DryRun.PARAMETER) && handler instanceof HandlerMethod method
                && !takesDryRun(method)) {
            throw new BadRequestException("dryRun: this write has no dry run; nothing was done");
        }
        return true;
    }

    /** Whether {@code parameter} is {@code dryRun} in another case ({@code dryrun}), which no handler reads: the write would be made. */
    static boolean misspelt(String parameter) {
        return parameter.equalsIgnoreCase(DryRun.PARAMETER) && !parameter.equals(DryRun.PARAMETER);
    }

    /** Whether {@code method} has a request parameter {@code dryRun}. */
    static boolean takesDryRun(HandlerMethod method) {
        return Arrays.stream(method.getMethodParameters()).anyMatch(p -> DryRun.PARAMETER.equals(RepeatedParameters.name(p)));
    }
}
