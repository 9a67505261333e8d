package dev.nanolet.ui.platform;

import dev.nanolet.wire.Problem;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.UnsupportedMediaTypeException;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The one seam to platform-api over HTTP: base URL, bearer token of the signed-in user,
 * timeout, and translation of every failure into a {@link PlatformException}.
 *
 * <p>Two clients with a connection pool each, not Reactor Netty's shared one (500 connections per host, shared by all
 * calls): {@link #client()} for the pages' short calls, {@link #longClient()} for followed logs, log tails, imports and
 * uploads, each of which holds a connection for as long as it is open. Open log tabs cannot leave the pages without one.
 */
@Component
class PlatformHttp implements DisposableBean {
    private final PlatformProperties properties;
    private final ConnectionProvider pool;
    private final ConnectionProvider longPool;
    private final WebClient client;
    private final WebClient longClient;

    PlatformHttp(WebClient.Builder builder, PlatformProperties properties) {
        this.properties = properties;
        // a few wait for a connection within the call's timeout; more fail at once, saying why
        this.pool = pool("platform-api", properties.connections(), 2 * properties.connections());
        this.longPool = pool("platform-api-long", properties.longConnections(), Math.max(1, properties.longConnections() / 4));
        this.client = client(builder, pool, "all " + properties.connections() + " of the dashboard's connections to platform-api"
                + " are in use (NANOLET_PLATFORM_CONNECTIONS)");
        this.longClient = client(builder, longPool, "all " + properties.longConnections() + " of the dashboard's connections to"
                + " platform-api for followed logs, imports and uploads are in use (NANOLET_PLATFORM_LONG_CONNECTIONS):"
                + " close a log tab or try again when an import has ended");
    }

    private ConnectionProvider pool(String name, int size, int waiting) {
        return ConnectionProvider.builder(name).maxConnections(size).pendingAcquireMaxCount(waiting)
                .pendingAcquireTimeout(properties.timeout()).build();
    }

    private WebClient client(WebClient.Builder builder, ConnectionProvider connections, String exhausted) {
        HttpClient netty = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.timeout().toMillis());
        return builder.clone()
                .baseUrl(properties.url().toString().replaceAll("/$", "") + "/api/v1")
                .clientConnector(new ReactorClientHttpConnector(netty))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
                .filter((request, next) -> named(request).flatMap(PlatformHttp::withToken).flatMap(next::exchange)
                        .onErrorMap(PlatformHttp::noConnection, e -> new PlatformException.Unavailable(exhausted, e)))
                .build();
    }

    /**
     * Whether {@code e} says that the pool had no connection to give: Reactor Netty's pool exceptions are those of a
     * shaded reactor-pool, no API to compile against, so they are known by name.
     */
    private static boolean noConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().startsWith("PoolAcquire")) {
                return true;
            }
        }
        return false;
    }

    /** For the pages' calls, which each end within {@link PlatformProperties#timeout()}. */
    WebClient client() {
        return client;
    }

    /** For calls that may hold their connection long: followed logs, log tails, imports and uploads. */
    WebClient longClient() {
        return longClient;
    }

    @Override
    public void destroy() {
        pool.dispose();
        longPool.dispose();
    }

    <T> Mono<T> get(ParameterizedTypeReference<T> type, String path, Object... vars) {
        return call(client.get().uri(path, vars), type);
    }

    <T> Mono<T> call(WebClient.RequestHeadersSpec<?> request, ParameterizedTypeReference<T> type) {
        return call(request, type, properties.timeout());
    }

    /** One call that platform-api may take up to {@code timeout} to answer (an import pulls from a registry first). */
    <T> Mono<T> call(WebClient.RequestHeadersSpec<?> request, ParameterizedTypeReference<T> type, Duration timeout) {
        return request.exchangeToMono(response -> response.statusCode().isError()
                        ? problem(response).flatMap(Mono::error)
                        : response.bodyToMono(type))
                .timeout(timeout)
                .onErrorMap(e -> translate(e, timeout));
    }

    /** A stream read to its end within {@code timeout}: a page that shows it must not wait forever. */
    <T> Mono<List<T>> collect(WebClient.RequestHeadersSpec<?> request, ParameterizedTypeReference<T> type, Duration timeout) {
        return stream(request, type).collectList()
                .timeout(timeout)
                .onErrorMap(e -> translate(e, timeout));
    }

    /**
     * A stream as it comes, with no timeout but the connect timeout: a followed log is quiet for as
     * long as the workload writes nothing, so neither a whole-response nor a stall timeout (between
     * items) would tell a dead platform-api from a quiet replica.
     */
    <T> Flux<T> stream(WebClient.RequestHeadersSpec<?> request, ParameterizedTypeReference<T> type) {
        return request.exchangeToFlux(response -> response.statusCode().isError()
                        ? problem(response).flatMapMany(Flux::error)
                        : response.bodyToFlux(type))
                .onErrorMap(e -> translate(e, properties.timeout()));
    }

    /**
     * A name typed into a form or a query ({@code ..} as a secret's or deployment's name or namespace) goes into
     * platform-api's path as typed, dots are no reserved characters: a {@code .} or {@code ..} segment would be resolved
     * there, and the call would reach another path than the one it names ({@code PUT …/deployments/..} is
     * {@code PUT /namespaces/default}). Such a call is refused here with 400 and never sent.
     */
    private static Mono<ClientRequest> named(ClientRequest request) {
        for (String segment : request.url().getRawPath().split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return Mono.error(new PlatformException.Refused(new Problem(null, HttpStatus.BAD_REQUEST.getReasonPhrase(), 400,
                        "'" + segment + "' is not a name: nothing was sent to platform-api", null, null)));
            }
        }
        return Mono.just(request);
    }

    private static Mono<ClientRequest> withToken(ClientRequest request) {
        if (request.headers().containsHeader(HttpHeaders.AUTHORIZATION)) {
            return Mono.just(request);
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .map(Authentication::getCredentials)
                .map(token -> ClientRequest.from(request).headers(h -> h.setBearerAuth(token.toString())).build())
                .defaultIfEmpty(request);
    }

    private static Mono<PlatformException> problem(ClientResponse response) {
        int status = response.statusCode().value();
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return response.bodyToMono(ProblemBody.class).<PlatformException>map(p -> p.refused(status, title))
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(new PlatformException.Refused(new Problem(null, title, status, null, null, null)));
    }

    /**
     * A problem as platform-api sends it: its status is the answer's, a 412 names the version the write met, and a 400 or 422
     * counts the wrong values and unknown fields its {@code errors} does not name ({@code moreErrors}). Those two members are read as any JSON value and
     * kept only as a 412's string and a whole number, so that an odd one (an object, say) leaves the rest of the problem read.
     */
    private record ProblemBody(String type, String title, String detail, String instance, List<Problem.FieldError> errors,
            Object resourceVersion, Object moreErrors) {
        PlatformException.Refused refused(int status, String otherTitle) {
            return new PlatformException.Refused(new Problem(type, title == null ? otherTitle : title, status, detail, instance, errors,
                    moreErrors instanceof Integer more ? more : null),
                    status == 412 && resourceVersion instanceof String met ? met : null);
        }
    }

    private Throwable translate(Throwable e, Duration timeout) {
        if (e instanceof PlatformException) {
            return e;
        }
        if (e instanceof TimeoutException) {
            return new PlatformException.Unavailable("platform-api did not answer within " + timeout.toMillis() + " ms", e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsupportedMediaTypeException u) {
                return new PlatformException.Malformed("platform-api answered " + u.getContentType() + " where JSON was expected", e);
            }
            if (cause instanceof DecodingException) {
                return new PlatformException.Malformed("platform-api's answer is not the JSON it documents", e);
            }
        }
        if (e instanceof WebClientRequestException) {
            return new PlatformException.Unavailable("platform-api at " + properties.url() + " cannot be reached", e);
        }
        return e;
    }
}
