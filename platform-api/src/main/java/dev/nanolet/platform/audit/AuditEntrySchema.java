package dev.nanolet.platform.audit;

import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc cannot read from {@link dev.nanolet.wire.AuditEntry} for the OpenAPI document: that {@code written} is
 * not the status answered but the write's own, which stays, and where {@code requestId} comes from. The other fields'
 * names say enough; {@code written}, beside {@code status}, reads as a second answer without it (docs/api.md, "Audit").
 */
@Configuration(proxyBeanMethods = false)
class AuditEntrySchema {
    static final String WRITTEN = "The status of the write itself (200, 201) when it was committed and the request then "
            + "answered another `status`: a `wait=true` that ended 401, 404, 422 or 503, or a `secrets:rotate` whose later batch "
            + "failed (503) after some were re-sealed; the write stays. The write was "
            + "listed before, once committed (its own entry; for `POST /apply`, each document's). Null when `status` is "
            + "the whole story, and for a write `atomic=true` reverted.";
    static final String REQUEST_ID = "The id of the request that wrote the entry, the same in every entry it wrote (a "
            + "write's entry once committed and its later one, `POST /apply`'s and its documents'): the `X-Request-Id` "
            + "header the client sent, when it was sent once and is 1 to " + RequestIdFilter.MAX_LENGTH + " visible ASCII "
            + "characters, else one the server made; the answer's `X-Request-Id` says it. Null for entries recorded "
            + "before it was kept, and where the actor is not shown.";

    @Bean
    OpenApiCustomizer nanoletAuditEntryFields() {
        return api -> {
            Schema<?> entry = api.getComponents() == null || api.getComponents().getSchemas() == null ? null
                    : api.getComponents().getSchemas().get("AuditEntry");
            if (entry == null || entry.getProperties() == null) {
                return;
            }
            Map.of("written", WRITTEN, "requestId", REQUEST_ID).forEach((field, description) -> {
                if (entry.getProperties().get(field) != null) {
                    entry.getProperties().get(field).description(description);
                }
            });
        };
    }
}
