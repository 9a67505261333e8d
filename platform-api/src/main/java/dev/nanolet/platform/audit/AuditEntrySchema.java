package dev.nanolet.platform.audit;

import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc cannot read from {@link dev.nanolet.wire.AuditEntry} for the OpenAPI document: that {@code written} is
 * not the status answered but the write's own, which stays. The other fields' names say enough; this one, beside
 * {@code status}, reads as a second answer without it (docs/api.md, "Audit").
 */
@Configuration(proxyBeanMethods = false)
class AuditEntrySchema {
    static final String WRITTEN = "The status of the write itself (200, 201) when it was committed and the request then "
            + "answered another `status`: a `wait=true` that ended 401, 404, 422 or 503, or a `secrets:rotate` whose later batch "
            + "failed (503) after some were re-sealed; the write stays. The write was "
            + "listed before, once committed (its own entry; for `POST /apply`, each document's). Null when `status` is "
            + "the whole story, and for a write `atomic=true` reverted.";

    @Bean
    OpenApiCustomizer nanoletAuditEntryWritten() {
        return api -> {
            Schema<?> entry = api.getComponents() == null || api.getComponents().getSchemas() == null ? null
                    : api.getComponents().getSchemas().get("AuditEntry");
            if (entry != null && entry.getProperties() != null && entry.getProperties().get("written") != null) {
                entry.getProperties().get("written").description(WRITTEN);
            }
        };
    }
}
