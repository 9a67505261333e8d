package dev.nanolet.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.lang.reflect.Field;

/**
 * fabric8's CRUD mock (7.5.2) taught the field selector a kubelet lists and watches its pods with,
 * {@code spec.nodeName=<node>}. The mock keeps only a resource's name, namespace and labels as attributes, so it
 * takes that selector for a requirement no pod meets: the list and the watch find nothing (fabric8io/kubernetes-client
 * #3573, #3819). Here a pod's attributes carry its {@code spec.nodeName} too, so that the mock answers the list and
 * the watch with the pods bound to the node, as an API server does; or, while {@link #ignored} is set, it drops every
 * field selector and answers with all the pods, as an API server or a proxy that ignores the selector would.
 */
public final class NodeNameSelector extends KubernetesAttributesExtractor {

    public static final String FIELD = "spec.nodeName";
    /** Whether the server drops the field selectors it is asked for. */
    public volatile boolean ignored;

    /**
     * Installs a new one in {@code dispatcher}'s CRUD store, which has no seam for it but its fields: fabric8 7.5.2's
     * {@link KubernetesMixedDispatcher} makes its {@link KubernetesCrudDispatcher} with {@code new}, and that one its
     * extractor, in their constructors, and neither takes one. The fields are final: a JDK after 25 warns of setting
     * them (JEP 500, JDK 26) and a later one will refuse, unless the tests run with
     * {@code --enable-final-field-mutation=ALL-UNNAMED}.
     */
    public static NodeNameSelector install(KubernetesMixedDispatcher dispatcher) {
        try {
            return install((KubernetesCrudDispatcher) field(KubernetesMixedDispatcher.class, "kubernetesCrudDispatcher").get(dispatcher));
        } catch (ReflectiveOperationException e) {
            throw cannot(e);
        }
    }

    /** As {@link #install(KubernetesMixedDispatcher)}, for a server that dispatches with a CRUD dispatcher alone. */
    public static NodeNameSelector install(KubernetesCrudDispatcher crud) {
        NodeNameSelector selector = new NodeNameSelector();
        try {
            selector.setCustomResourceDefinitionProcessor((CustomResourceDefinitionProcessor) field(KubernetesCrudDispatcher.class, "crdProcessor").get(crud));
            field(KubernetesCrudDispatcher.class, "kubernetesAttributesExtractor").set(crud, selector);
            field(CrudDispatcher.class, "attributeExtractor").set(crud, selector);
        } catch (ReflectiveOperationException e) {
            throw cannot(e);
        }
        return selector;
    }

    private static IllegalStateException cannot(ReflectiveOperationException e) {
        return new IllegalStateException("cannot give fabric8's mock server the spec.nodeName extractor (its fields changed, or the JDK"
                + " refuses to set final fields): " + e, e);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    @Override
    public AttributeSet fromPath(String path) {
        return super.fromPath(ignored ? path.replaceAll("([?&])fieldSelector=[^&]*&?", "$1") : path);
    }

    @Override
    public AttributeSet extract(HasMetadata resource) {
        AttributeSet attributes = super.extract(resource);
        String nodeName = switch (resource) {
            case Pod pod when pod.getSpec() != null -> pod.getSpec().getNodeName();
            case GenericKubernetesResource r when "Pod".equals(r.getKind()) -> r.get("spec", FIELD.substring("spec.".length()));
            default -> null;
        };
        return nodeName == null ? attributes : attributes.add(new Attribute(FIELD, nodeName));
    }
}
