package dev.nanolet.e2e;

import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link LocalPlatform} (platform-api and the node agent {@code node-1}, label {@code zone=a}) for the end-to-end
 * classes that neither stop, cut nor load their platform: each of them paid some 20 s for its own. The first class
 * that registers this extension starts it; it stops at the end of the test run (JUnit closes the root store's values),
 * which is right after the last of them, since every class of this module that starts processes uses it (those with a
 * platform of their own are e2e's).
 * The classes stay independent by keeping to their own namespaces, routes and token names; one that needs admin-ui
 * asks for it with {@link #ui()}. A failed test prints the tail of every process log, as {@link LocalPlatform} does.
 */
final class SharedPlatform implements BeforeAllCallback, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPlatform.class);

    /** The started platform and its node, kept in the root store so that JUnit closes the platform after the last class. */
    private record Started(LocalPlatform platform, ServiceProcess node) implements AutoCloseable {
        @Override
        public void close() {
            platform.close();
            ui = null; // stopped with it: a class that starts the platform again (a rerun) starts its own
        }
    }

    private static Started started;
    private static ServiceProcess ui;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).computeIfAbsent(Started.class, key -> start(), Started.class);
    }

    private static synchronized Started start() {
        LocalPlatform platform = new LocalPlatform();
        try {
            ServiceProcess node = platform.start("node-1 zone=a").getFirst();
            await("node Ready").until(() -> platform.client().nodes().stream().anyMatch(n -> n.ready()));
            started = new Started(platform, node);
            return started;
        } catch (RuntimeException e) {
            platform.close(); // not in the store, so nobody else would stop what did start
            throw e;
        }
    }

    LocalPlatform platform() {
        return started.platform();
    }

    /** The node agent, whose data plane serves every class's routes. */
    ServiceProcess node() {
        return started.node();
    }

    /** admin-ui on this platform, its "try it" button sending requests to {@link #node()}; started by the first class that asks. */
    synchronized ServiceProcess ui() {
        if (ui == null) {
            ui = started.platform().startUi(node().url());
        }
        return ui;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (started != null) {
            started.platform().testFailed(context, cause);
        }
    }
}
