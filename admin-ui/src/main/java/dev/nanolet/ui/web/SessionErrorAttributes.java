package dev.nanolet.ui.web;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webflux.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Boot's error attributes plus {@code signedIn}, which the layout needs for its navigation (see {@link ErrorPageSession}). */
@Component
class SessionErrorAttributes extends DefaultErrorAttributes {
    @Override
    public Map<String, Object> getErrorAttributes(ServerRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        attributes.put("signedIn", request.attribute(ErrorPageSession.SIGNED_IN).isPresent());
        return attributes;
    }
}
