package dev.nanolet.platform.node;

import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.wire.NodeRegistration;
import dev.nanolet.wire.NodeUsage;
import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a registration and a lease renewal must satisfy; every violation is reported at once. */
final class NodeRegistrationRules {
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_KEY = 253;
    static final int MAX_LABEL_VALUE = 63;
    static final int MAX_USAGE_DEPLOYMENTS = 1000;
    static final int MAX_USAGE_BINDINGS = 1000;
    /** Length of a binding's unavailability reason (a node writes one short sentence). */
    static final int MAX_UNAVAILABLE_CHARS = 500;
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    private static final Pattern SHORT_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    private NodeRegistrationRules() {}

    /** Checks {@code r}, its capacity within {@code max}; answers its address in stored form. */
    static String check(NodeRegistration r, NodeCapacityLimits max) {
        List<FieldError> errors = new ArrayList<>();
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "must be a DNS name: lowercase letters, digits, '-' and '.'"));
        }
        checkLabels(r.labels(), errors);
        if (r.capacity() == null) {
            errors.add(new FieldError("capacity", "is required"));
        } else {
            checkCapacity("capacity.instances", r.capacity().instances(), max.instances(),
                    "NANOLET_NODES_MAX_CAPACITY_INSTANCES", errors);
            checkCapacity("capacity.memoryMiB", r.capacity().memoryMiB(), max.memoryMib(),
                    "NANOLET_NODES_MAX_CAPACITY_MEMORY_MIB", errors);
        }
        if (r.credential() != null && !NodeCredentials.wellFormed(r.credential())) {
            errors.add(new FieldError("credential", "must be nlt_node_ followed by 256 random bits in base64url (43 characters)"));
        }
        NodeAddresses.Checked address = NodeAddresses.check(r.address());
        if (address.problem() != null) {
            errors.add(new FieldError("address", address.problem()));
        }
        throwIfAny(errors);
        return address.address();
    }

    /**
     * Checks the admin's restricted labels: present (null, a body without {@code labels}, is 422, never
     * "remove them all"), every key under the restricted prefix, keys and values bounded as a node's.
     */
    static void checkRestricted(Map<String, String> labels) {
        if (labels == null) {
            throw new InvalidInputException(List.of(new FieldError("labels", "is required; {\"labels\":{}} removes every restricted label")));
        }
        List<FieldError> errors = new ArrayList<>();
        checkLabels(labels, errors);
        labels.keySet().stream().filter(key -> !NodeRegistration.restricted(key)).sorted().forEach(key -> errors.add(new FieldError(
                "labels." + key, "must start with " + NodeRegistration.RESTRICTED_LABEL_PREFIX + "; the node sets its other labels itself")));
        throwIfAny(errors);
    }

    private static void checkLabels(Map<String, String> labels, List<FieldError> errors) {
        if (labels.size() > MAX_LABELS) {
            errors.add(new FieldError("labels", "must have at most " + MAX_LABELS + " entries"));
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().isEmpty() || label.getKey().length() > MAX_LABEL_KEY) {
                errors.add(new FieldError("labels", "keys must have 1 to " + MAX_LABEL_KEY + " characters"));
                break;
            }
            if (label.getValue() == null || label.getValue().length() > MAX_LABEL_VALUE) {
                errors.add(new FieldError("labels." + label.getKey(), "must have at most " + MAX_LABEL_VALUE + " characters"));
            }
        }
    }

    /** Over {@code max}: the message names the env var that raises it, for a node that really is that big. */
    private static void checkCapacity(String field, int value, int max, String envVar, List<FieldError> errors) {
        if (value < 0) {
            errors.add(new FieldError(field, "must not be negative"));
        } else if (value > max) {
            errors.add(new FieldError(field, "must be at most " + max + "; a node that offers more needs " + envVar
                    + " raised on platform-api"));
        }
    }

    /** Checks an admin's new address; answers it in stored form. */
    static String checkAddress(String address) {
        NodeAddresses.Checked checked = NodeAddresses.check(address);
        if (checked.problem() != null) {
            throw new InvalidInputException("address", checked.problem());
        }
        return checked.address();
    }

    /**
     * Bounds a lease renewal's usage figures: at most {@value #MAX_USAGE_DEPLOYMENTS} named deployments and
     * {@value #MAX_USAGE_BINDINGS} named bindings, every figure finite and not negative.
     */
    static void check(NodeUsage usage) {
        List<FieldError> errors = new ArrayList<>();
        if (usage.deployments().size() > MAX_USAGE_DEPLOYMENTS) {
            errors.add(new FieldError("deployments", "must have at most " + MAX_USAGE_DEPLOYMENTS + " entries"));
        } else {
            for (int i = 0; i < usage.deployments().size(); i++) {
                NodeUsage.DeploymentMetrics d = usage.deployments().get(i);
                if (d == null || d.namespace() == null || !SHORT_NAME.matcher(d.namespace()).matches()
                        || d.name() == null || !SHORT_NAME.matcher(d.name()).matches()) {
                    errors.add(new FieldError("deployments[" + i + "]", "must name a deployment by namespace and name"));
                } else if (d.requests() < 0 || d.errors() < 0 || !(d.p50Ms() >= 0) || !(d.p99Ms() >= 0)
                        || Double.isInfinite(d.p50Ms()) || Double.isInfinite(d.p99Ms())) {
                    errors.add(new FieldError("deployments[" + i + "]", "figures must be finite and not negative"));
                }
            }
        }
        checkBindings(usage.bindings(), errors);
        throwIfAny(errors);
    }

    private static void checkBindings(List<NodeUsage.BindingMetrics> bindings, List<FieldError> errors) {
        if (bindings.size() > MAX_USAGE_BINDINGS) {
            errors.add(new FieldError("bindings", "must have at most " + MAX_USAGE_BINDINGS + " entries"));
            return;
        }
        for (int i = 0; i < bindings.size(); i++) {
            NodeUsage.BindingMetrics b = bindings.get(i);
            if (b == null || b.namespace() == null || !SHORT_NAME.matcher(b.namespace()).matches()
                    || b.deployment() == null || !SHORT_NAME.matcher(b.deployment()).matches()
                    || b.binding() == null || !dev.nanolet.wire.DeploymentSpec.Binding.NAME.matcher(b.binding()).matches()) {
                errors.add(new FieldError("bindings[" + i + "]", "must name a binding by namespace, deployment and binding"));
            } else if (b.calls() < 0 || b.errors() < 0 || b.errors() > b.calls() || !(b.latencyMs() >= 0)
                    || Double.isInfinite(b.latencyMs()) || b.poolWaits() < 0 || !(b.poolWaitMs() >= 0)
                    || Double.isInfinite(b.poolWaitMs())) {
                errors.add(new FieldError("bindings[" + i + "]", "figures must be finite, not negative, errors at most calls"));
            } else if (b.unavailable() != null && b.unavailable().length() > MAX_UNAVAILABLE_CHARS) {
                errors.add(new FieldError("bindings[" + i + "].unavailable", "must have at most " + MAX_UNAVAILABLE_CHARS + " characters"));
            }
        }
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
