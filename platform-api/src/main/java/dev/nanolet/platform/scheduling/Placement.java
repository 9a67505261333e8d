package dev.nanolet.platform.scheduling;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a replica may go, best first, as a pure function: nodes whose labels match the node
 * selector and that have room (one instance and the replica's memory), ordered by fewest replicas
 * of the same deployment (spread), then least allocated, then name.
 */
final class Placement {
    private Placement() {}

    /** What the replica needs. */
    record Request(Map<String, String> nodeSelector, int memoryMiB) {}

    /** A Ready node and what is bound to it. */
    record Candidate(String name, Map<String, String> labels, int capacityInstances, int capacityMemoryMiB,
            int instances, int memoryMiB, int sameDeployment) {

        boolean fits(Request request) {
            return instances + 1 <= capacityInstances && memoryMiB + request.memoryMiB() <= capacityMemoryMiB;
        }

        boolean matches(Request request) {
            return labels.entrySet().containsAll(request.nodeSelector().entrySet());
        }

        double allocated() {
            double byInstances = capacityInstances == 0 ? 1 : (double) instances / capacityInstances;
            double byMemory = capacityMemoryMiB == 0 ? 1 : (double) memoryMiB / capacityMemoryMiB;
            return Math.max(byInstances, byMemory);
        }
    }

    static List<Candidate> rank(Request request, List<Candidate> nodes) {
        return nodes.stream()
                .filter(n -> n.matches(request) && n.fits(request))
                .sorted(Comparator.comparingInt(Candidate::sameDeployment)
                        .thenComparingDouble(Candidate::allocated)
                        .thenComparing(Candidate::name))
                .toList();
    }

    /** Why nothing fits, for the Unschedulable message. */
    static String why(Request request, List<Candidate> nodes) {
        long matching = nodes.stream().filter(n -> n.matches(request)).count();
        if (nodes.isEmpty()) {
            return "no Ready node";
        }
        if (matching == 0) {
            return "no Ready node matches nodeSelector " + request.nodeSelector();
        }
        return matching + " matching Ready nodes lack capacity for one instance and " + request.memoryMiB() + " MiB";
    }
}
