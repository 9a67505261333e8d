package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The variables a kubelet gives a container for Services (its {@code getServiceEnvVarMap} and
 * {@code envvars.FromServices}): for each Service of the pod's namespace with a cluster IP (a headless one, clusterIP
 * {@code None} or empty, gives none) {@code {SVC}_SERVICE_HOST}, {@code {SVC}_SERVICE_PORT}, one
 * {@code {SVC}_SERVICE_PORT_{PORT}} per named port and the docker-link {@code {SVC}_PORT*}, unless the pod says
 * {@code enableServiceLinks: false}; and always those of {@code default}'s {@value #MASTER} Service, the API server's,
 * unless the namespace has its own {@value #MASTER} Service that links give. {@code {SVC}} (and {@code {PORT}}) is the
 * name upper-cased with {@code -} made {@code _}, nothing more, as the kubelet's {@code makeEnvVariableName}.
 *
 * <p>Unlike a kubelet's, they are bounded: a namespace of thousands of Services would give each container tens of
 * thousands of variables, held by every run of its module. Services are taken whole, {@value #MASTER} first, then by
 * name, until the next would pass {@value #MAX_VARIABLES} variables; the others are left out, and the pod is told so
 * once in a Warning event {@value #REASON}.
 */
final class ServiceEnv {

    static final String REASON = "ServiceEnvTruncated";
    /** The most variables Services give a container: some 130 Services of one port. */
    static final int MAX_VARIABLES = 1000;
    static final String MASTER = "kubernetes";
    static final String MASTER_NAMESPACE = "default";

    /**
     * @param env the variables, in the order of the Services they come from
     * @param left Services with a cluster IP whose variables were left out past the bound
     */
    record Links(Map<String, String> env, int given, int left) {

        /** What the Warning says when Services were left out; null if none were. */
        String warning() {
            return left == 0 ? null : "the variables of " + left + " of the " + (given + left)
                    + " Services a kubelet gives were left out: a Wasm node gives at most " + MAX_VARIABLES
                    + " variables for Services, taken whole by name; use the Services' DNS names or set enableServiceLinks: false";
        }
    }

    private ServiceEnv() {}

    /**
     * {@link #of}, read when first asked for and then kept: a pod not started yet is weighed on each of its events and
     * resyncs, and one that waits for a config map or secret, or is refused for its env, lists no Services each time.
     */
    static Supplier<Links> lazily(Pod pod, PodTranslation.Lookup lookup) {
        Links[] read = new Links[1];
        return () -> read[0] == null ? (read[0] = of(pod, lookup)) : read[0];
    }

    static Links of(Pod pod, PodTranslation.Lookup lookup) {
        String ns = pod.getMetadata().getNamespace();
        boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks()); // an API server defaults it to true
        Map<String, Service> byName = new TreeMap<>();
        if (!links || !ns.equals(MASTER_NAMESPACE)) {
            lookup.service(MASTER_NAMESPACE, MASTER).filter(ServiceEnv::hasClusterIp).ifPresent(s -> byName.put(MASTER, s));
        }
        if (links) { // the namespace's own kubernetes Service, if any, replaces the master's, as a kubelet's map does
            lookup.services(ns).stream().filter(ServiceEnv::hasClusterIp).forEach(s -> byName.put(s.getMetadata().getName(), s));
        }
        List<Service> ordered = new ArrayList<>(byName.values());
        ordered.sort(Comparator.comparing((Service s) -> !s.getMetadata().getName().equals(MASTER)));
        Map<String, String> env = new LinkedHashMap<>();
        int given = 0;
        for (Service s : ordered) {
            Map<String, String> vars = variables(s);
            if (env.size() + vars.size() > MAX_VARIABLES) {
                break;
            }
            env.putAll(vars);
            given++;
        }
        return new Links(env, given, ordered.size() - given);
    }

    private static boolean hasClusterIp(Service s) {
        String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None") && s.getSpec().getPorts() != null && !s.getSpec().getPorts().isEmpty();
    }

    private static Map<String, String> variables(Service s) {
        String prefix = name(s.getMetadata().getName());
        String ip = s.getSpec().getClusterIP();
        List<ServicePort> ports = s.getSpec().getPorts();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put(prefix + "_SERVICE_HOST", ip);
        vars.put(prefix + "_SERVICE_PORT", String.valueOf(ports.getFirst().getPort()));
        for (ServicePort p : ports) {
            if (p.getName() != null && !p.getName().isEmpty()) {
                vars.put(prefix + "_SERVICE_PORT_" + name(p.getName()), String.valueOf(p.getPort()));
            }
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip; // as Go's net.JoinHostPort
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            String url = protocol.toLowerCase(Locale.ROOT) + "://" + host + ":" + p.getPort();
            if (i == 0) {
                vars.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + p.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            vars.put(portPrefix, url);
            vars.put(portPrefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            vars.put(portPrefix + "_PORT", String.valueOf(p.getPort()));
            vars.put(portPrefix + "_ADDR", ip);
        }
        return vars;
    }

    /**
     * As the kubelet's {@code makeEnvVariableName}: a port's name may begin with a digit ({@code 9000-metrics}), and
     * {@code {SVC}_SERVICE_PORT_9000_METRICS} is what a module written for a kubelet looks for.
     */
    private static String name(String s) {
        return s.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
