package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.ReplicaPhase;
import dev.nanolet.wire.ReplicaStatusReport;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pod's status needs beyond the latest report: when the current run started and the last one
 * ended, with which exit code, the image's digest, and how often pulling failed in a row.
 */
record ContainerHistory(Instant startedAt, Instant finishedAt, Integer exitCode, String terminatedReason,
        String imageId, int pullFailures) {

    private static final Pattern EXIT_CODE = Pattern.compile("exit code (-?\\d+)");
    static final ContainerHistory NEW = new ContainerHistory(null, null, null, null, null, 0);

    /** The history after {@code report} arrived at {@code now}. */
    ContainerHistory after(ReplicaStatusReport report, Instant now) {
        return switch (report.phase()) {
            case Running -> new ContainerHistory(now, null, exitCode, terminatedReason, imageId, 0);
            case Succeeded -> new ContainerHistory(startedAt, now, 0, "Completed", imageId, 0);
            case Failed, CrashLoopBackOff -> isPullFailure(report)
                    ? new ContainerHistory(startedAt, finishedAt, exitCode, terminatedReason, imageId, pullFailures + 1)
                    : new ContainerHistory(startedAt, report.phase() == ReplicaPhase.Failed || finishedAt == null ? now : finishedAt,
                            exitCode(report), terminatedReason(report), imageId, 0);
            default -> this;
        };
    }

    ContainerHistory withImageId(String id) {
        return new ContainerHistory(startedAt, finishedAt, exitCode, terminatedReason, id, pullFailures);
    }

    static boolean isPullFailure(ReplicaStatusReport report) {
        return report.phase() == ReplicaPhase.Failed && "ModuleFetchFailed".equals(report.reason());
    }

    /** The exit code in a report's message ("exit code 3"); 137 for a memory limit, 1 for a trap or a timeout. */
    static int exitCode(ReplicaStatusReport report) {
        if (report.message() != null) {
            Matcher m = EXIT_CODE.matcher(report.message());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return "MemoryLimit".equals(report.reason()) ? 137 : 1;
    }

    private static String terminatedReason(ReplicaStatusReport report) {
        String why = report.reason();
        if (report.phase() == ReplicaPhase.CrashLoopBackOff && report.message() != null) {
            why = report.message().contains("exit code") ? "ExitCode" : why;
        }
        return switch (why == null ? "" : why) {
            case "MemoryLimit" -> "OOMKilled";
            case "Timeout" -> "DeadlineExceeded";
            case "Trap" -> "Trap";
            case "InvalidModule" -> "InvalidModule";
            default -> "Error";
        };
    }
}
