package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.EventReport;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** core/v1 Events about a pod, named and shaped as the kubelet's (source component {@code nanolet}). */
final class PodEvents {

    /** 253 characters of a DNS subdomain, less the dot and 16 hex digits after it. */
    private static final int MAX_PREFIX = 253 - 17;

    private PodEvents() {}

    /** An event about the pod's (only) container. */
    static Event of(Pod pod, EventReport report, String node, Instant now) {
        String container = pod.getSpec().getContainers().isEmpty() ? "" : pod.getSpec().getContainers().getFirst().getName();
        return of(pod, report, node, now, container.isEmpty() ? null : "spec.containers{" + container + "}");
    }

    /** An event about the part of the pod {@code fieldPath} names ({@code spec.ephemeralContainers{debugger}}, say). */
    static Event of(Pod pod, EventReport report, String node, Instant now, String fieldPath) {
        String t = now.toString();
        return new EventBuilder()
                .withNewMetadata()
                    .withName(name(pod.getMetadata().getName()) + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
                    .withNamespace(pod.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion("v1").withKind("Pod")
                    .withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
                    .withUid(pod.getMetadata().getUid())
                    .withFieldPath(fieldPath)
                .endInvolvedObject()
                .withType(report.type()).withReason(reason(report.reason())).withMessage(report.message())
                .withNewSource().withComponent("nanolet").withHost(node).endSource()
                .withReportingComponent("nanolet").withReportingInstance(node)
                .withFirstTimestamp(t).withLastTimestamp(t).withCount(1)
                .build();
    }

    /**
     * The pod's name as the start of an event's: cut so that the event's name (with a dot and 16 hex digits) is at most
     * 253 characters, as a pod's may be, and then ending in a letter or digit, as a DNS subdomain's labels do.
     */
    private static String name(String pod) {
        return pod.length() <= MAX_PREFIX ? pod : pod.substring(0, MAX_PREFIX).replaceFirst("[^a-z0-9]+$", "");
    }

    /** The kubelet's reason where the node has its own name for the same thing. */
    private static String reason(String reason) {
        return switch (reason) {
            case "ModuleFetchFailed", "InvalidModule" -> "Failed";
            default -> reason;
        };
    }
}
