package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;

/**
 * A replica's report → the pod status Kubernetes tools read: phase, the four conditions,
 * one container status (state, last state, restart count, imageID), podIP and hostIP. Pure.
 *
 * <p>Phases: pulling and starting are Pending (container waiting: ContainerCreating, ErrImagePull,
 * ImagePullBackOff); Running and CrashLoopBackOff are Running (a crash-looping container waits with
 * reason CrashLoopBackOff and shows its last exit in lastState); Succeeded and Failed as reported.
 */
final class PodStatuses {

    private PodStatuses() {}

    static PodStatus of(Pod pod, ReplicaStatusReport report, ContainerHistory history, String nodeIp, Instant now) {
        var container = pod.getSpec().getContainers().getFirst();
        ReplicaPhase phase = report.phase();
        boolean pullFailed = ContainerHistory.isPullFailure(report);
        String podPhase = switch (phase) {
            case Running, CrashLoopBackOff -> "Running";
            case Succeeded -> "Succeeded";
            case Failed -> pullFailed ? "Pending" : "Failed";
            default -> "Pending";
        };
        boolean ready = phase == ReplicaPhase.Running;
        String t = now.toString();
        PodStatus previous = pod.getStatus();
        ContainerStatus cs = new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID(history.imageId() == null ? "" : history.imageId())
                .withContainerID("nanolet://" + pod.getMetadata().getUid())
                .withReady(ready)
                .withStarted(phase == ReplicaPhase.Running)
                .withRestartCount(report.restarts() == null ? 0 : report.restarts())
                .withState(state(report, history, pullFailed))
                .withLastState(phase == ReplicaPhase.CrashLoopBackOff || (phase == ReplicaPhase.Running && history.exitCode() != null)
                        ? terminated(history) : new ContainerState())
                .build();
        String notReady = phase == ReplicaPhase.Succeeded || phase == ReplicaPhase.Failed && !pullFailed ? "PodCompleted" : "ContainersNotReady";
        String readyStatus = ready ? "True" : "False";
        return new PodStatusBuilder()
                .withPhase(podPhase)
                .withConditions(
                        condition("PodScheduled", "True", null, null, t, previous),
                        condition("Initialized", "True", null, null, t, previous),
                        condition("ContainersReady", readyStatus, ready ? null : notReady,
                                ready ? null : "containers with unready status: [" + container.getName() + "]", t, previous),
                        condition("Ready", readyStatus, ready ? null : notReady,
                                ready ? null : "containers with unready status: [" + container.getName() + "]", t, previous))
                .withContainerStatuses(cs)
                .withHostIP(nodeIp).withHostIPs(new HostIP(nodeIp))
                .withPodIP(nodeIp).withPodIPs(new PodIP(nodeIp))
                .withStartTime(previous != null && previous.getStartTime() != null ? previous.getStartTime() : t)
                .withQosClass("Guaranteed")
                .build();
    }

    /** The status of a pod this node refuses to run: Failed, with the reason on the pod. */
    static PodStatus refused(Pod pod, String reason, String message, String nodeIp, Instant now) {
        String t = now.toString();
        return new PodStatusBuilder()
                .withPhase("Failed").withReason(reason).withMessage(message)
                .withConditions(condition("PodScheduled", "True", null, null, t, pod.getStatus()),
                        condition("Ready", "False", reason, message, t, pod.getStatus()))
                .withHostIP(nodeIp).withHostIPs(new HostIP(nodeIp))
                .withStartTime(t)
                .build();
    }

    /** The status of a pod whose container cannot be configured yet (a missing config map or secret). */
    static PodStatus waiting(Pod pod, String reason, String message, String nodeIp, Instant now) {
        var container = pod.getSpec().getContainers().getFirst();
        String t = now.toString();
        return new PodStatusBuilder()
                .withPhase("Pending")
                .withConditions(condition("PodScheduled", "True", null, null, t, pod.getStatus()),
                        condition("Initialized", "True", null, null, t, pod.getStatus()),
                        condition("ContainersReady", "False", "ContainersNotReady", message, t, pod.getStatus()),
                        condition("Ready", "False", "ContainersNotReady", message, t, pod.getStatus()))
                .withContainerStatuses(new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                        .withImageID("").withReady(false).withStarted(false).withRestartCount(0)
                        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build())
                .withHostIP(nodeIp).withHostIPs(new HostIP(nodeIp)).withPodIP(nodeIp).withPodIPs(new PodIP(nodeIp))
                .withStartTime(t)
                .build();
    }

    private static ContainerState state(ReplicaStatusReport report, ContainerHistory history, boolean pullFailed) {
        return switch (report.phase()) {
            case Running -> new ContainerStateBuilder().withNewRunning().withStartedAt(str(history.startedAt())).endRunning().build();
            case Succeeded -> terminated(history);
            case Failed -> pullFailed ? waiting(history.pullFailures() > 1 ? "ImagePullBackOff" : "ErrImagePull", report.message())
                    : terminated(history);
            case CrashLoopBackOff -> waiting("CrashLoopBackOff", report.message());
            default -> waiting("ContainerCreating", null);
        };
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    private static ContainerState terminated(ContainerHistory h) {
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(h.exitCode() == null ? 0 : h.exitCode())
                .withReason(h.terminatedReason())
                .withStartedAt(str(h.startedAt())).withFinishedAt(str(h.finishedAt()))
                .endTerminated().build();
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    private static PodCondition condition(String type, String status, String reason, String message, String now, PodStatus previous) {
        String transition = now;
        List<PodCondition> old = previous == null || previous.getConditions() == null ? List.of() : previous.getConditions();
        for (PodCondition c : old) {
            if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                transition = c.getLastTransitionTime();
            }
        }
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(transition);
        return c;
    }
}
