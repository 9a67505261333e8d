package dev.nanolet.agent.kubernetes;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Who may call the kubelet API, as a kubelet started with {@code --client-ca-file} and without anonymous
 * access: a client certificate that chains to {@code NANOLET_KUBELET_CLIENT_CA} (checked in the TLS
 * handshake; one that does not chain fails the handshake), optionally with a common name from
 * {@code NANOLET_KUBELET_CLIENT_NAMES}, or {@code Authorization: Bearer NANOLET_KUBELET_TOKEN}. Anything
 * else is 401 (no credentials) or 403 (a verified certificate whose name is not allowed). There is no
 * SubjectAccessReview: whoever passes may read the logs of every pod on this node.
 */
final class KubeletAuth {

    /** What a request is: allowed, or refused with a status and a reason. */
    record Decision(int status, String reason) {
        static final Decision ALLOWED = new Decision(200, "");

        boolean allowed() {
            return status == 200;
        }
    }

    private final KubernetesProperties props;

    KubeletAuth(KubernetesProperties props) {
        this.props = props;
    }

    /** Whether anything can pass at all (else every request is refused). */
    boolean configured() {
        return props.kubeletClientCa() != null || props.kubeletToken() != null;
    }

    /** The server's TLS with client certificates asked for (optional: a token may stand in) and checked against the CA. */
    Http11SslContextSpec withClientCertificates(Http11SslContextSpec tls) {
        if (props.kubeletClientCa() == null) {
            return tls;
        }
        return tls.configure(b -> b.trustManager(props.kubeletClientCa().toFile()).clientAuth(ClientAuth.OPTIONAL));
    }

    Decision check(HttpServerRequest req) {
        String header = req.requestHeaders().get("Authorization");
        if (props.kubeletToken() != null && header != null && header.startsWith("Bearer ")
                && MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                        props.kubeletToken().getBytes(StandardCharsets.UTF_8))) {
            return Decision.ALLOWED;
        }
        Optional<X509Certificate> client = props.kubeletClientCa() == null ? Optional.empty() : peer(req);
        if (client.isEmpty()) {
            return new Decision(401, "Unauthorized: a client certificate signed by the kubelet's client CA, or its bearer token, is required");
        }
        if (!props.kubeletClientNames().isEmpty() && !props.kubeletClientNames().contains(commonName(client.get()))) {
            return new Decision(403, "Forbidden: client certificate " + commonName(client.get()) + " may not use this kubelet API");
        }
        return Decision.ALLOWED;
    }

    /** The client's certificate, verified against the CA during the handshake, if it sent one. */
    private static Optional<X509Certificate> peer(HttpServerRequest req) {
        Certificate[][] peer = new Certificate[1][];
        req.withConnection(c -> {
            SslHandler ssl = c.channel().pipeline().get(SslHandler.class);
            if (ssl != null) {
                try {
                    peer[0] = ssl.engine().getSession().getPeerCertificates();
                } catch (SSLPeerUnverifiedException none) {
                    peer[0] = null;
                }
            }
        });
        return peer[0] != null && peer[0].length > 0 && peer[0][0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
    }

    private static String commonName(X509Certificate cert) {
        try {
            return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(Rdn::getValue).map(String::valueOf)
                    .findFirst().orElse("");
        } catch (InvalidNameException e) {
            return "";
        }
    }
}
