package dev.nanolet.platform.deployment;

import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/diff}: the body of an apply, answered with what the apply would change
 * ({@link ManifestDiff}); reading only, so role viewer in each document's namespace suffices.
 */
@RestController
class ManifestDiffApi {
    private final ManifestDiff diff;
    private final JsonMapper strict;

    ManifestDiffApi(ManifestDiff diff, JsonMapper json) {
        this.diff = diff;
        this.strict = StrictSpecBodies.strict(json);
    }

    @PostMapping(path = "/api/v1/diff", consumes = {"application/json", "application/yaml", "application/x-yaml", "text/yaml"})
    ManifestDiff.Result diff(@RequestBody(required = false) String body, @RequestHeader(HttpHeaders.CONTENT_TYPE) String type,
            @RequestParam(defaultValue = "false") boolean prune, @RequestParam(required = false) String selector,
            HttpServletRequest request) {
        Map<String, String> pruneSelector = PruneOptions.selector(prune, selector, false);
        List<ManifestDocuments.Manifest> manifests = ManifestDocuments.read(body == null ? "" : body, type.contains("yaml"), strict);
        ManifestAccess.require(Caller.of(request), manifests, Role.viewer, "");
        return diff.diff(manifests, pruneSelector);
    }
}
