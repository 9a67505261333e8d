package dev.nanolet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that a test can cut, to partition a node from platform-api or a Kubernetes API server, or to
 * take an app database away: {@link #cut()}
 * resets every open connection and refuses new ones (as a dead link does), {@link #stall()} holds
 * every byte and resets nothing (a link that drops packets), {@link #silenceOpen()} drops the bytes of the
 * connections open now for good, {@link #restore()} lets them through again.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean stalled;
    private final Set<Socket> silenced = ConcurrentHashMap.newKeySet();
    private final Object flow = new Object();
    private final AtomicInteger accepted = new AtomicInteger();

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many connections the proxy has let through (stalled ones too): a test's sign that a client reached it. */
    public int accepted() {
        return accepted.get();
    }

    public void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
    }

    /**
     * Stops every byte both ways and resets nothing (as a link that drops packets, or a peer frozen in
     * place): connections, open and new, stay open and silent until {@link #restore()}, which
     * delivers what was held.
     */
    public void stall() {
        stalled = true;
    }

    /**
     * The connections open now go silent for good, as those a NAT or a load balancer forgot: every byte
     * on them is dropped and nothing is reset. New connections pass.
     */
    public void silenceOpen() {
        silenced.addAll(open);
    }

    public void restore() {
        cut = false;
        synchronized (flow) {
            stalled = false;
            flow.notifyAll();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                continue; // the proxy closing
            }
            if (cut) {
                reset(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
            } catch (IOException e) {
                closeQuietly(upstream);
                reset(client); // a refused upstream (platform-api down): the client sees a reset, as it would without the proxy
                continue;
            }
            open.add(client);
            open.add(upstream);
            accepted.incrementAndGet();
            Thread.ofVirtual().start(() -> pump(client, upstream));
            Thread.ofVirtual().start(() -> pump(upstream, client));
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        closeQuietly(s);
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                awaitFlow();
                if (!silenced.contains(from)) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // cut or closed by either side
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(from);
            open.remove(to);
            silenced.remove(from);
            silenced.remove(to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitFlow() throws InterruptedException {
        synchronized (flow) {
            while (stalled) {
                flow.wait();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
