package dev.nanolet.platform.control;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles one deployment and binds its new replicas as soon as the transaction that changed it
 * commits, on the instance that wrote it, in one transaction: the deployment controller's and the
 * scheduler's passes ({@link ControlPass#DEPLOYMENTS}, {@link ControlPass#SCHEDULING}) for just that
 * deployment, on a virtual thread, so the API call that wrote it answers at once. Without it an apply
 * waits for the {@code NOTIFY nanolet_control} round trip, then for the control loop to finish the round
 * it is in (another deployment's, a report's), then for two commits (controller, then scheduler) before
 * the node's watch hears of it (docs/performance.md, "Route changes through the watch").
 *
 * <p>Correctness does not depend on it: the passes coordinate through PostgreSQL as they do in the loop
 * (the deployment's row {@code FOR UPDATE SKIP LOCKED}, Pending replicas {@code SKIP LOCKED}, nodes in
 * name order), so a prompt and the loops of every instance never act on one deployment or bind one
 * replica twice. The change's {@code NOTIFY} still wakes every loop; whichever takes the row first does
 * the work and the others find it done. A prompt that fails wakes this instance's loop for the
 * deployment; beyond {@link #IN_FLIGHT} prompts at once (a manifest of many deployments) the rest are
 * left to the loop.
 */
@Component
public class Prompt {
    /** Prompts running at once on this instance; each binds in its own transaction. */
    static final int IN_FLIGHT = 2;

    private static final Logger log = LoggerFactory.getLogger(Prompt.class);

    private final ObjectProvider<ControlPass> allPasses;
    private volatile List<ControlPass> passes;
    private final TransactionTemplate tx;
    private final Wakeups wakeups;
    private final ControlProperties properties;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);

    /** The passes are looked up on first use: the deployment controller's depend on the writer that calls this. */
    Prompt(ObjectProvider<ControlPass> passes, TransactionTemplate tx, Wakeups wakeups, ControlProperties properties) {
        this.allPasses = passes;
        this.tx = tx;
        this.wakeups = wakeups;
        this.properties = properties;
    }

    /** Once the current transaction commits (at once outside one): reconcile and bind deployment {@code id}. */
    public void afterCommit(long id) {
        if (!properties.enabled() || !properties.prompt()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    start(id);
                }
            });
        } else {
            start(id);
        }
    }

    private void start(long id) {
        if (!slots.tryAcquire()) {
            return;
        }
        Thread.ofVirtual().name("control-prompt-" + id).start(() -> {
            try {
                run(id);
            } finally {
                slots.release();
            }
        });
    }

    /** The passes for {@code id} in one transaction; on a failure, the loop takes the deployment. */
    void run(long id) {
        Changes changes = Changes.of(Set.of(id));
        List<ControlPass> own = passes();
        try {
            tx.executeWithoutResult(s -> own.forEach(pass -> pass.run(changes)));
        } catch (RuntimeException e) {
            log.info("reconciling deployment {} at once failed, the control loop takes it: {}", id, e.getMessage());
            wakeups.accept(Wakeups.DEPLOYMENT + id);
        }
    }

    private List<ControlPass> passes() {
        List<ControlPass> own = passes;
        if (own == null) {
            own = allPasses.orderedStream().filter(Prompt::actsOnAChange).toList();
            passes = own;
        }
        return own;
    }

    private static boolean actsOnAChange(ControlPass pass) {
        int order = OrderUtils.getOrder(AopUtils.getTargetClass(pass), Ordered.LOWEST_PRECEDENCE);
        return order == ControlPass.DEPLOYMENTS || order == ControlPass.SCHEDULING;
    }
}
