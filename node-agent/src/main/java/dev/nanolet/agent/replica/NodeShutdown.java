package dev.nanolet.agent.replica;

import dev.nanolet.agent.config.DataPlaneProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown, after the web server has stopped taking requests and finished those in flight
 * (server.shutdown=graceful, within the grace period), stops every replica and reports it Terminating.
 */
@Component
class NodeShutdown implements SmartLifecycle {

    /** Lower phases stop later: after graceful shutdown (DEFAULT_PHASE - 1024), before the server stops (- 2048). */
    private static final Logger log = LoggerFactory.getLogger(NodeShutdown.class);
    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;
    private final Replicas replicas;
    private final Reconciler reconciler;
    private final ReplicaReporter reporter;
    private final Duration reportWait;
    private volatile boolean running;

    NodeShutdown(Replicas replicas, Reconciler reconciler, ReplicaReporter reporter, DataPlaneProperties props) {
        this.replicas = replicas;
        this.reportWait = props.gracePeriod();
        this.reporter = reporter;
        this.reconciler = reconciler;
    }

    @Override
    public void start() {
        reconciler.reopen();
        running = true;
    }

    @Override
    public void stop() {
        reconciler.close();
        replicas.terminateAll("node agent shutting down");
        try {
            if (!reporter.flush(reportWait)) {
                log.info("stopping with reports platform-api has not taken within {} s; it will see this node's lease expire", reportWait.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
