package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures of one informer's list and watch, logged once per outage: its first failure the informer tries again
 * after at WARN, one line with the reason and what the node needs, and {@link #listed} at INFO once it lists or watches
 * again; nothing per retry between. fabric8's own Reflector logs every retry at WARN with a stack trace (some 30 lines,
 * every half minute for as long as RBAC refuses a list); application.yml keeps it to its ERRORs, so these lines are the
 * ones an operator reads. Whether to try again is fabric8's own default: once started, unless the watch itself failed.
 */
final class InformerOutage implements ExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(InformerOutage.class);
    private final String what;
    private final String verbs;
    private final Consumer<Throwable> failed;
    private final boolean retryBeforeStart;
    private final AtomicBoolean out = new AtomicBoolean();

    /**
     * @param what what the informer lists ("the cluster's Services")
     * @param verbs the permission it needs ("list and watch on services")
     * @param retryBeforeStart whether a failure of the first list is tried again too (else the informer stops, and its
     *        owner starts another)
     * @param failed told of each failure, before the decision
     */
    InformerOutage(String what, String verbs, boolean retryBeforeStart, Consumer<Throwable> failed) {
        this.what = what;
        this.verbs = verbs;
        this.retryBeforeStart = retryBeforeStart;
        this.failed = failed;
    }

    @Override
    public boolean retryAfterException(boolean started, Throwable e) {
        failed.accept(e);
        boolean retry = (started || retryBeforeStart) && !(e instanceof WatcherException);
        if (retry && out.compareAndSet(false, true)) {
            log.warn("cannot list or watch {}: {} (the node needs {}); trying again with back-off, logged again once it lists them",
                    what, ServiceCache.clientFailure(e).getMessage(), verbs);
        }
        return retry;
    }

    /** The informer listed or heard of a change: an outage, if one was logged, is over. */
    void listed() {
        if (out.compareAndSet(true, false)) {
            log.info("{} are listed and watched again", what);
        }
    }
}
