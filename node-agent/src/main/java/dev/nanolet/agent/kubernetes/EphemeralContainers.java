package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A pod's ephemeral containers ({@code kubectl debug}), which a Wasm node never runs: a module has no shell and no
 * process to share. Each is told once as a Warning event on the pod and shown in {@code ephemeralContainerStatuses} as
 * terminated (exit code 128, as a container that could not start) with {@value #REASON}, so that {@code kubectl debug}
 * stops waiting for it; the pod's own module runs on, undisturbed. Pure.
 */
final class EphemeralContainers {

    static final String REASON = "UnsupportedEphemeralContainer";
    private static final int COULD_NOT_START = 128;
    /**
     * The writes of a pod's ephemeral status refused for good ({@link #forGood}) after which the node stops trying, until
     * another ephemeral container is added to the pod: one refused for a missing permission was written again on every
     * evaluation of the pod, each time in vain.
     */
    static final int REFUSALS = 3;

    private EphemeralContainers() {}

    static String message(String name) {
        return "ephemeral container " + Excerpt.of(name) + " does not run: a Wasm pod takes no ephemeral containers"
                + " (kubectl debug); the pod's module runs on";
    }

    /** The part of the pod an event about ephemeral container {@code name} names, as a kubelet's. */
    static String fieldPath(String name) {
        return "spec.ephemeralContainers{" + name + "}";
    }

    /**
     * Whether a write refused with HTTP {@code code} would be refused again, whatever the pod: 400, 401, 403, 404 or
     * 422; not a conflict (409: the pod changed, read it again), a 429 or a server's or the network's failure.
     */
    static boolean forGood(int code) {
        return code >= 400 && code < 500 && code != 409 && code != 429;
    }

    /** The names of {@code pod}'s ephemeral containers with no status yet, in spec order. */
    static List<String> unshown(Pod pod) {
        Set<String> shown = statuses(pod.getStatus()).stream().map(ContainerStatus::getName).collect(Collectors.toSet());
        return specs(pod).stream().map(EphemeralContainer::getName).filter(Objects::nonNull).filter(n -> !shown.contains(n)).toList();
    }

    /**
     * {@code next}, the status about to be written over {@code read}'s, with a terminated status for each of
     * {@code read}'s ephemeral containers (one already shown kept as it is); {@code next} itself if it has none. Unless
     * {@code adding}: then only those already shown are kept, none added (the pod's own status, which the API server
     * refused with them, {@link PodStatusWriter}).
     */
    static PodStatus shown(Pod read, PodStatus next, Instant now, boolean adding) {
        List<ContainerStatus> before = statuses(read.getStatus());
        List<ContainerStatus> shown = specs(read).stream().filter(c -> c.getName() != null).flatMap(c -> before.stream()
                .filter(s -> c.getName().equals(s.getName())).findFirst()
                .or(() -> adding ? Optional.of(terminated(c, now)) : Optional.empty()).stream()).toList();
        if (shown.isEmpty()) {
            return next;
        }
        return new PodStatusBuilder(next == null ? new PodStatus() : next).withEphemeralContainerStatuses(shown).build();
    }

    private static ContainerStatus terminated(EphemeralContainer c, Instant now) {
        return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                .withReady(false).withStarted(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(COULD_NOT_START).withReason(REASON).withMessage(message(c.getName()))
                    .withFinishedAt(now.toString()).endTerminated().endState()
                .build();
    }

    private static List<EphemeralContainer> specs(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getEphemeralContainers() == null ? List.of() : pod.getSpec().getEphemeralContainers();
    }

    private static List<ContainerStatus> statuses(PodStatus status) {
        return status == null || status.getEphemeralContainerStatuses() == null ? List.of() : status.getEphemeralContainerStatuses();
    }
}
