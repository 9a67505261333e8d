package dev.nanolet.testsupport;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** HTTP clients and TLS that trust any certificate: for tests that call a node's self-signed kubelet API on loopback. */
public final class InsecureHttp {

    private InsecureHttp() {}

    public static HttpClient client() {
        return client(null);
    }

    /** The same, presenting the client certificate of these key managers when the server asks for one. */
    public static HttpClient client(KeyManager[] keys) {
        return HttpClient.newBuilder().sslContext(tls(keys)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** TLS that trusts any server, presenting the client certificate of these key managers (none if null): for raw sockets. */
    public static SSLContext tls(KeyManager[] keys) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(keys, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
