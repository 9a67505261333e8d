package dev.nanolet.agent.kubernetes;

import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.CgiVariables;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The env names of an HTTP pod that the node also sets for each request (RFC 3875's CGI, {@link CgiVariables}). The
 * node does not refuse such a pod (platform-api refuses them in a deployment; a pod is never validated), but neither
 * value is what the pod's author meant to be sure of: a meta-variable ({@code REQUEST_METHOD}, {@code PATH_INFO}...)
 * is the request's, whatever the pod says; an {@code HTTP_*} name is the pod's, hiding the request header it names.
 * Told once as a Warning event on the pod (again only if the names change). A job gets none of them: nothing to tell.
 */
final class ShadowedEnv {

    static final String REASON = "ShadowedEnv";
    /** The most names a list of the message names. */
    static final int NAMED = 3;

    private ShadowedEnv() {}

    /** The names of {@code a}'s env the node sets per request, sorted; empty for a job. */
    static Set<String> of(Assignment a) {
        Set<String> names = new TreeSet<>();
        if (a.spec().http() != null) {
            a.environment().keySet().stream().filter(CgiVariables::isPerRequest).forEach(names::add);
        }
        return names;
    }

    /**
     * The Warning's message about {@code names} (not empty): each list names at most {@value #NAMED}, each by its
     * {@link Excerpt}, so that the message stays under an event's 1 KiB whatever names and how many the pod sets.
     */
    static String message(Set<String> names) {
        List<String> meta = names.stream().filter(CgiVariables.META::contains).toList();
        List<String> headers = names.stream().filter(n -> !CgiVariables.META.contains(n)).toList();
        StringBuilder m = new StringBuilder("env ").append(list(List.copyOf(names)))
                .append(" is also set by the node for each HTTP request (CGI):");
        if (!meta.isEmpty()) {
            m.append(" the request's ").append(list(meta)).append(" replaces the pod's value;");
        }
        if (!headers.isEmpty()) {
            m.append(" the pod's ").append(list(headers)).append(" hides the request's header;");
        }
        return m.append(" rename the variable").toString();
    }

    private static String list(List<String> names) {
        String named = String.join(", ", names.stream().limit(NAMED).map(Excerpt::of).toList());
        return names.size() <= NAMED ? named : named + " and " + (names.size() - NAMED) + " more";
    }
}
