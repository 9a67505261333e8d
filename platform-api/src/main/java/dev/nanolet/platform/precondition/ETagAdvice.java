package dev.nanolet.platform.precondition;

import dev.nanolet.platform.dryrun.DryRun;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.NodeInfo;
import dev.nanolet.wire.Secret;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Sends the {@code ETag} of the one deployment, secret or node an answer shows (a read, a write, a finished wait): its
 * resource version as a strong entity tag, what {@code If-Match} names. A dry run's answer gets none: it is not what
 * is stored (its {@code resourceVersion} is the current one, which a real write's {@code If-Match} would name). The
 * controller that decides a request is a dry run marks it ({@link DryRun#marked}); a request parameter alone decides
 * nothing here.
 */
@RestControllerAdvice
public class ETagAdvice implements ResponseBodyAdvice<Object> {
    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        String version = versionOf(body);
        if (version != null && !dryRun(request)) {
            response.getHeaders().setETag(EntityTags.of(version));
        }
        return body;
    }

    /** The resource version of the deployment, secret or node {@code body} shows; null for any other answer. */
    static String versionOf(Object body) {
        return switch (body) {
            case Deployment d -> d.resourceVersion();
            case Secret s -> s.resourceVersion();
            case NodeInfo n -> n.resourceVersion();
            case null, default -> null;
        };
    }

    private static boolean dryRun(ServerHttpRequest request) {
        return request instanceof ServletServerHttpRequest servlet && DryRun.marked(servlet.getServletRequest());
    }
}
