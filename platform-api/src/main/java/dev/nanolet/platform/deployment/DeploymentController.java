package dev.nanolet.platform.deployment;

import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Apply, read and delete deployments. */
@RestController
class DeploymentController {
    static final String ONE = "/api/v1/namespaces/{namespace}/deployments/{name}";

    private final DeploymentWriter writer;
    private final DeploymentQueries queries;

    DeploymentController(DeploymentWriter writer, DeploymentQueries queries) {
        this.writer = writer;
        this.queries = queries;
    }

    /** Creates (201) or updates (200); a create that races another create of the same name is applied again as an update. */
    @PutMapping(ONE)
    ResponseEntity<Deployment> apply(@PathVariable String namespace, @PathVariable String name,
            @RequestBody(required = false) DeploymentSpec spec) {
        DeploymentWriter.Applied applied;
        try {
            applied = writer.apply(namespace, name, spec);
        } catch (ConcurrentCreateException e) {
            applied = writer.apply(namespace, name, spec);
        }
        return ResponseEntity.status(applied.created() ? HttpStatus.CREATED : HttpStatus.OK).body(applied.deployment());
    }

    @GetMapping(ONE)
    Deployment get(@PathVariable String namespace, @PathVariable String name) {
        return queries.get(namespace, name);
    }

    @GetMapping("/api/v1/namespaces/{namespace}/deployments")
    List<Deployment> list(@PathVariable String namespace) {
        return queries.list(namespace);
    }

    @GetMapping("/api/v1/deployments")
    List<Deployment> listAll() {
        return queries.listAll();
    }

    @DeleteMapping(ONE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String namespace, @PathVariable String name) {
        writer.delete(namespace, name);
    }
}
