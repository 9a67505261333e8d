package dev.nanolet.platform.dryrun;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Whether a write asked for a dry run in a form its endpoint takes, read from the request alone, wherever it was
 * answered or refused: a 403 of the bearer filter (before any handler), a 403 or 400 inside the handler, a body that
 * could not be read, a dry run answered. It did: {@code dryRun} given once, as {@code All} ({@link DryRun#requested}),
 * no {@code dryRun} in another case ({@link DryRunRefusal}), and a handler that declares {@code dryRun}. A request
 * with any other {@code dryRun} is one its endpoint refuses (400), so it asked for nothing it could get.
 */
@Component
public class DryRunIntent {
    private static final String[] ALL = {"All"};

    private final RequestMappingHandlerMapping handlers;

    DryRunIntent(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers) {
        this.handlers = handlers;
    }

    /** Whether {@code request} asked for a dry run its endpoint takes (a request its handler marked did). */
    public boolean of(HttpServletRequest request) {
        if (DryRun.marked(request)) {
            return true;
        }
        if (!Arrays.equals(request.getParameterValues(DryRun.PARAMETER), ALL)
                || request.getParameterMap().keySet().stream().anyMatch(DryRunRefusal::misspelt)) {
            return false;
        }
        return handler(request) instanceof HandlerMethod method && DryRunRefusal.takesDryRun(method);
    }

    /** The handler Spring MVC maps {@code request} to, also when it never ran; null when none (or no such method) does. */
    private Object handler(HttpServletRequest request) {
        Object parsed = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
        try {
            ServletRequestPathUtils.parseAndCache(request);
            HandlerExecutionChain chain = handlers.getHandler(request);
            return chain == null ? null : chain.getHandler();
        } catch (Exception e) { // 405, 415, …: no handler would have run it
            return null;
        } finally {
            request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, parsed);
        }
    }
}
