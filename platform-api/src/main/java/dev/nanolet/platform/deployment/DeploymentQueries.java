package dev.nanolet.platform.deployment;

import dev.nanolet.platform.event.EventRepository;
import dev.nanolet.platform.event.EventViews;
import dev.nanolet.platform.replica.ReplicaStore;
import dev.nanolet.platform.spec.SpecJson;
import dev.nanolet.wire.Deployment;
import dev.nanolet.wire.Event;
import dev.nanolet.wire.Replica;
import dev.nanolet.wire.Revision;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads of live deployments and what belongs to them; a deleted deployment is not found. */
@Service
@Transactional(readOnly = true)
public class DeploymentQueries {
    private final DeploymentRepository deployments;
    private final RevisionRepository revisions;
    private final ReplicaStore replicas;
    private final EventRepository events;
    private final DeploymentViews views;
    private final SpecJson specJson;

    DeploymentQueries(DeploymentRepository deployments, RevisionRepository revisions, ReplicaStore replicas,
            EventRepository events, DeploymentViews views, SpecJson specJson) {
        this.deployments = deployments;
        this.revisions = revisions;
        this.replicas = replicas;
        this.events = events;
        this.views = views;
        this.specJson = specJson;
    }

    Deployment get(String namespace, String name) {
        return views.toWire(find(namespace, name));
    }

    List<Deployment> list(String namespace) {
        return views.toWire(deployments.findLiveInNamespace(namespace));
    }

    List<Deployment> listAll() {
        return views.toWire(deployments.findAllLive());
    }

    /** Newest first. */
    List<Revision> revisions(String namespace, String name) {
        DeploymentEntity d = find(namespace, name);
        return revisions.findNewestFirst(d.getId()).stream()
                .map(r -> new Revision(r.getRevision(), r.getGeneration(), specJson.read(r.getSpec()),
                        r.getRevision() == d.getCurrentRevision(), r.getCreatedAt()))
                .toList();
    }

    List<Replica> replicas(String namespace, String name) {
        return replicas.wireOfDeployment(liveId(namespace, name));
    }

    /** Newest first, at most {@code limit}. */
    List<Event> events(String namespace, String name, int limit) {
        find(namespace, name);
        return events.findByNamespaceAndDeploymentOrderByIdDesc(namespace, name, EventViews.limit(limit)).stream()
                .map(EventViews::toWire)
                .toList();
    }

    /** The id of the live deployment {@code namespace/name}, for features that read what belongs to it; 404 otherwise. */
    public long liveId(String namespace, String name) {
        return find(namespace, name).getId();
    }

    private DeploymentEntity find(String namespace, String name) {
        return deployments.findLive(namespace, name).orElseThrow(() -> DeploymentWriter.notFound(namespace, name));
    }
}
