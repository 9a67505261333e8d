package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.DeploymentSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An env var's {@code resourceFieldRef} as a kubelet resolves it: the container's limit or request of a resource, in
 * units of the divisor (1 by default), rounded up, CPU counted in millicores first. An unset limit is what the node
 * gives the module (a kubelet takes the node's allocatable): the default memory limit of a module, the node's
 * processors, no ephemeral storage; an unset request is the limit, if set (an API server's defaulting), else 0.
 */
final class ResourceFields {

    private static final Pattern RESOURCE = Pattern.compile("(limits|requests)\\.([A-Za-z0-9][A-Za-z0-9.-]*)"); // hugepages-2Mi too
    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

    private ResourceFields() {}

    /** @throws IllegalArgumentException for a resource that is not {@code limits.<name>} or {@code requests.<name>}, or a quantity too large */
    static String value(Container c, ResourceFieldSelector ref) {
        Matcher m = RESOURCE.matcher(String.valueOf(ref.getResource()));
        if (!m.matches()) {
            throw new IllegalArgumentException("is not limits.<resource> or requests.<resource>");
        }
        String name = m.group(2);
        Quantity limit = get(c.getResources() == null ? null : c.getResources().getLimits(), name);
        Quantity request = get(c.getResources() == null ? null : c.getResources().getRequests(), name);
        BigDecimal value;
        if (m.group(1).equals("limits")) {
            value = limit != null ? Quantities.amount(limit) : given(name);
        } else {
            value = request != null ? Quantities.amount(request) : limit != null ? Quantities.amount(limit) : BigDecimal.ZERO;
        }
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : Quantities.amount(ref.getDivisor());
        int scale = name.equals("cpu") ? 3 : 0; // a kubelet divides CPU in millicores, the rest in whole units
        value = value.setScale(scale, RoundingMode.CEILING);
        divisor = divisor.setScale(scale, RoundingMode.CEILING);
        if (divisor.signum() <= 0) {
            divisor = BigDecimal.ONE;
        }
        return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static Quantity get(Map<String, Quantity> quantities, String name) {
        return quantities == null ? null : quantities.get(name);
    }

    /** What the node gives a module without a limit of {@code name}. */
    private static BigDecimal given(String name) {
        return switch (name) {
            case "memory" -> MIB.multiply(BigDecimal.valueOf(DeploymentSpec.Limits.DEFAULT.memoryMiB()));
            case "cpu" -> BigDecimal.valueOf(Runtime.getRuntime().availableProcessors());
            default -> BigDecimal.ZERO;
        };
    }
}
