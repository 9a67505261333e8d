package dev.nanolet.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Plays the API server's part in {@code kubectl logs} in front of fabric8's CRUD mock, which cannot: a
 * {@code GET /api/v1/namespaces/{ns}/pods/{pod}/log} is answered as kube-apiserver does, by finding the
 * pod's node, the node's {@code InternalIP} and {@code daemonEndpoints.kubeletEndpoint.port}, and
 * streaming {@code GET https://<ip>:<port>/containerLogs/{ns}/{pod}/{container}?tailLines&follow&timestamps}
 * from the kubelet with the API server's kubelet-client certificate. It also answers the legacy discovery
 * documents kubectl asks for first (the mock has none): core/v1 with pods, pods/log and nodes. Every other
 * request goes to the mock.
 */
final class ApiServerFront implements AutoCloseable {

    private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");
    private final KubernetesClient mock;
    private final HttpClient toMock;
    private final HttpClient toKubelets;
    private final DisposableServer server;

    ApiServerFront(KubernetesClient mock, KeyManagerFactory kubeletClientCertificate) {
        this.mock = mock;
        this.toMock = HttpClient.create().baseUrl(mock.getMasterUrl().toString().replaceFirst("/$", ""));
        try {
            var tls = SslContextBuilder.forClient().keyManager(kubeletClientCertificate)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            this.toKubelets = HttpClient.create().secure(spec -> spec.sslContext(tls));
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
        this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    private static final Map<String, String> DISCOVERY = Map.of(
            "/api", """
                    {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""",
            "/apis", """
                    {"kind":"APIGroupList","apiVersion":"v1","groups":[]}""",
            "/api/v1", """
                    {"kind":"APIResourceList","groupVersion":"v1","resources":[
                    {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","shortNames":["po"],"verbs":["get","list","watch","create","delete"]},
                    {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},
                    {"name":"nodes","singularName":"node","namespaced":false,"kind":"Node","shortNames":["no"],"verbs":["get","list","watch"]}]}""");

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        String path = new QueryStringDecoder(req.uri()).path();
        if (DISCOVERY.containsKey(path)) {
            return res.header("Content-Type", "application/json").sendString(Mono.just(DISCOVERY.get(path)));
        }
        Matcher log = LOG.matcher(path);
        if (req.method().equals(HttpMethod.GET) && log.matches()) {
            return podLog(log.group(1), log.group(2), new QueryStringDecoder(req.uri()).parameters(), res);
        }
        return toMock.headers(h -> h.add(req.requestHeaders()).remove("Host"))
                .request(req.method()).uri(req.uri())
                .send((out, o) -> o.send(req.receive().retain()))
                .response((in, body) -> res.status(in.status()).headers(in.responseHeaders()).send(body.retain()).then())
                .then();
    }

    private Publisher<Void> podLog(String namespace, String name, Map<String, List<String>> query, HttpServerResponse res) {
        Pod pod = mock.pods().inNamespace(namespace).withName(name).get();
        if (pod == null || pod.getSpec().getNodeName() == null) {
            return res.status(HttpResponseStatus.NOT_FOUND).sendString(Mono.just("{\"kind\":\"Status\",\"code\":404}"));
        }
        Node node = mock.nodes().withName(pod.getSpec().getNodeName()).get();
        String ip = node.getStatus().getAddresses().stream().filter(a -> a.getType().equals("InternalIP"))
                .map(NodeAddress::getAddress).findFirst().orElseThrow();
        int port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
        String container = query.containsKey("container") ? query.get("container").getFirst()
                : pod.getSpec().getContainers().getFirst().getName();
        StringBuilder kubeletQuery = new StringBuilder();
        for (String p : List.of("tailLines", "follow", "timestamps")) {
            if (query.containsKey(p)) {
                kubeletQuery.append(kubeletQuery.isEmpty() ? "?" : "&").append(p).append('=').append(query.get(p).getFirst());
            }
        }
        String url = "https://" + ip + ":" + port + "/containerLogs/" + namespace + "/" + name + "/" + container + kubeletQuery;
        return toKubelets.get().uri(url)
                .response((in, body) -> res.status(in.status()).header("Content-Type", "text/plain")
                        .send(body.retain(), b -> true).then())
                .then();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
