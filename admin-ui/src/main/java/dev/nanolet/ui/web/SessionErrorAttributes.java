package dev.nanolet.ui.web;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webflux.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Boot's error attributes plus {@code signedIn} and {@code may}, which the layout needs for its navigation, a late page's
 * {@code signedInAgain} ({@link PageCsrf#signedInAgain}), the pending {@code flash} message (see {@link ErrorPageSession}),
 * and {@code htmx}: the error page is then only its message fragment, which htmx swaps into the page's live part (the
 * whole page would nest header and navigation there).
 */
@Component
class SessionErrorAttributes extends DefaultErrorAttributes {
    @Override
    public Map<String, Object> getErrorAttributes(ServerRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        attributes.put("signedIn", request.attribute(ErrorPageSession.SIGNED_IN).isPresent());
        attributes.put("htmx", request.headers().firstHeader("HX-Request") != null);
        request.attribute(ErrorPageSession.FLASH).ifPresent(message -> attributes.put("flash", message));
        if (PageCsrf.signedInAgain(request.exchange())) {
            attributes.put(PageCsrf.SIGNED_IN_AGAIN, true);
        }
        request.attribute(ErrorPageSession.MAY).ifPresent(may -> attributes.put("may", may));
        return attributes;
    }
}
