package dev.nanolet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

    /** Refused upstream: the proxy's client must see the end of its connection, as a client of the refusing port does. */
    @Test
    void aClientWhoseUpstreamRefusesIsResetNotLeftHanging() throws IOException {
        int refusing;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = gone.getLocalPort();
        }
        try (TcpProxy proxy = new TcpProxy(refusing); Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            client.setSoTimeout(30_000); // only how long a failing run hangs: the reset comes as soon as the upstream refuses
            assertThat(readOrReset(client)).as("the client's connection ended").isEqualTo(-1);
            assertThat(proxy.accepted()).as("nothing let through").isZero();
        }
    }

    /** -1 at the end of the stream or on a reset; a read that times out is a client left hanging. */
    private static int readOrReset(Socket client) throws IOException {
        try {
            return client.getInputStream().read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy left its client hanging", e);
        } catch (SocketException reset) {
            return -1;
        }
    }
}
