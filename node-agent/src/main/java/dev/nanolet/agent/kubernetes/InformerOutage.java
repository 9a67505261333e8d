package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures of one informer's list and watch, logged once per outage: its first failure at WARN, one line with the
 * reason and, for a refusal (403, 401), what the node needs ({@link ClusterConfig#refusal}; a timeout or a 5xx is no
 * matter of permission), whether the informer tries again or stops (the pods' informer, whose owner then
 * starts another that shares this outage), and {@link #listed} at INFO once it lists or watches again; nothing per
 * retry between. fabric8's own Reflector logs every failure with a stack trace (some 30 lines, at WARN when it tries
 * again, at ERROR when it stops: every half minute for as long as RBAC refuses a list); application.yml silences it, so
 * these lines are the ones an operator reads. A relist that finds every object as it was tells its handlers nothing, so an outage may end
 * unheard: a failure after the informer's resource version moved on (it listed, or heard of a change, since the
 * outage's first failure) ends that outage, at INFO, and begins a new one, at WARN. A new informer that has listed
 * nothing yet (the pods' one the driver starts after another stopped) has no resource version: its failures go on
 * with the outage.
 */
final class InformerOutage implements ExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(InformerOutage.class);
    private final String what;
    private final String verbs;
    private final boolean always;
    private final Supplier<String> version;
    private final Consumer<Throwable> failed;
    /** Whether an outage was logged and not its end. */
    private boolean out;
    /** The informer's resource version at the outage's first failure. */
    private String outAt;

    /**
     * @param what what the informer lists ("the cluster's Services")
     * @param verbs the permission it needs ("list and watch on services")
     * @param always whether every failure is tried again, that of the first list and of a watch fabric8 closed among
     *        them; else fabric8's default: once started, unless the watch itself failed (the informer stops, and its
     *        owner starts another)
     * @param version the latest informer's latest resource version ({@code lastSyncResourceVersion}); null while it has
     *        listed nothing (the pods' informer that the driver started after another stopped)
     * @param failed told of each failure, before the decision
     */
    InformerOutage(String what, String verbs, boolean always, Supplier<String> version, Consumer<Throwable> failed) {
        this.what = what;
        this.verbs = verbs;
        this.always = always;
        this.version = version;
        this.failed = failed;
    }

    @Override
    public boolean retryAfterException(boolean started, Throwable e) {
        failed.accept(e);
        failing(e);
        return always || started && !(e instanceof WatcherException);
    }

    private synchronized void failing(Throwable e) {
        String now = version.get();
        if (out && now != null && !now.equals(outAt)) { // a new informer that listed nothing yet goes on with the outage
            listed();
        }
        if (!out) {
            out = true;
            outAt = now;
            KubernetesClientException failure = ServiceCache.clientFailure(e);
            log.warn("cannot list or watch {}: {}{}; trying again with back-off, logged again once it lists them", what,
                    failure.getMessage(), ClusterConfig.refusal(failure.getCode(), verbs).map(why -> " (" + why + ")").orElse(""));
        }
    }

    /** The informer listed or heard of a change: an outage, if one was logged, is over. */
    synchronized void listed() {
        if (out) {
            out = false;
            log.info("{} are listed and watched again", what);
        }
    }
}
