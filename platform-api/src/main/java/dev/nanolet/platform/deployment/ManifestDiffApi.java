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
 * ({@link ManifestDiff}); reading only, so role viewer in each Deployment document's namespace suffices, but a Secret
 * document needs deployer, as its apply does: its diff tells whether a value is the one stored.
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
        Caller caller = ManifestAccess.require(Caller.of(request), ManifestApply.deployments(manifests), Role.viewer, "");
        // a Secret's diff says which of its values a guess matches: asked only by who may write it (and so read its values)
        ManifestAccess.require(caller, manifests.stream().filter(ManifestDocuments.Manifest::isSecret).toList(), Role.deployer,
                ", as its diff says which of its values differ from the document's");
        return diff.diff(manifests, pruneSelector);
    }
}
