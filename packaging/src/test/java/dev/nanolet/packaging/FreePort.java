package dev.nanolet.packaging;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port for a container to publish, chosen below Linux's ephemeral range (32768–60999).
 * A port the kernel hands out as ephemeral can be taken by any outgoing connection (Maven, the browser,
 * the image build) in the minutes between choosing it and {@code docker-compose up}: the CI saw
 * "Bind for 127.0.0.1:36869 failed: port is already allocated". Ports below the range are never handed
 * out that way, so only a listener could take one, and this checks that none does.
 */
final class FreePort {
    private static final int FROM = 20_000;
    private static final int TO = 32_768;

    private FreePort() {}

    static int next() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FROM, TO);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free loopback port in " + FROM + "–" + (TO - 1));
    }
}
