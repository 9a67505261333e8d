package dev.nanolet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * platform-api over java.net.http. Answers are JSON trees or wire records; a problem becomes a
 * {@link CliException} with the exit code a pipeline can act on: 401/403 → 3, the rollout-failed
 * problem → 1, 400/422 → 2, an unreachable server → 4, a server that took the request but gave no answer in time (or ended
 * the connection unanswered, or cut an event stream it had started or let it go quiet, or stopped taking an upload's body) → 1,
 * anything else → 1.
 */
final class Api {
    static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final String ROLLOUT_FAILED = "https://nanolet.dev/problems/rollout-failed";
    /**
     * How long a call may take to be answered, its answer's body whole, unless it asks the server to wait: a write too, as
     * every read; and how long an upload may make no progress ({@link Upload}), whatever it takes in all.
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long an event stream ({@code logs}) may send nothing before it is said to have stalled. platform-api writes a
     * comment every 2 s while it follows, from the start, once it asked whether the caller's token still holds (which
     * waits at most 2 s for a database connection, and {@code NANOLET_DB_SOCKET_TIMEOUT_SECONDS}, 30 s, for a PostgreSQL
     * that stopped answering); without follow it is quiet while it reads the nodes' tails, at most
     * {@code NANOLET_API_LOG_TAIL_TIME}, 20 s, after which it cuts off a node still sending and answers with the others'
     * lines. Twice the longest of these, with platform-api's defaults, and fifteen times the usual one: a machine under
     * heavy load is not taken for a stalled stream.
     */
    static final Duration STREAM_QUIET = Duration.ofSeconds(60);
    /**
     * The header of a request's id: every request of one command sends the command's ({@link #requestId}), so that when a
     * write's outcome is left open (no answer, a 5xx, a rollout that failed after the write) the message names it and the
     * audit finds everything the command did: an apply's module uploads, its {@code POST /apply} and its documents' entries.
     */
    static final String REQUEST_ID = "X-Request-Id";
    /**
     * How long the CLI waits for a connection: the TCP connect and, for {@code https://}, the TLS handshake (the JDK's
     * connect timeout covers both). Past it the server is unreachable, exit 4.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String server;
    private final String token;
    private final Duration callTimeout;
    private final Duration streamQuiet;
    /** A new UUID per Api, which is one per command ({@link Global#api}). */
    private final String requestId = UUID.randomUUID().toString();

    Api(Config config) {
        this(config, CALL_TIMEOUT);
    }

    /** An Api whose calls and upload stalls are bounded by {@code callTimeout}, where others' are by {@link #CALL_TIMEOUT}. */
    Api(Config config, Duration callTimeout) {
        this(config, callTimeout, STREAM_QUIET);
    }

    /** {@link #Api(Config, Duration)}, its event streams stalled after {@code streamQuiet}, where others' after {@link #STREAM_QUIET}. */
    Api(Config config, Duration callTimeout, Duration streamQuiet) {
        this(config, callTimeout, streamQuiet, CONNECT_TIMEOUT);
    }

    /** {@link #Api(Config, Duration, Duration)}, waiting {@code connectTimeout} for a connection, where others {@link #CONNECT_TIMEOUT}. */
    Api(Config config, Duration callTimeout, Duration streamQuiet, Duration connectTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.callTimeout = callTimeout;
        this.streamQuiet = streamQuiet;
        if (config.server() == null || config.token() == null) {
            throw new CliException(CliException.USAGE,
                    "no server or token: run nanolet login --server URL --token TOKEN, or set NANOLET_SERVER and NANOLET_TOKEN");
        }
        this.server = serverUrl(config.server().replaceAll("/+$", ""));
        this.token = token(config.token());
    }

    /**
     * {@code token} (stripped by {@link Config}) if it is printable ASCII, as every bearer token is, else bad usage before
     * anything is sent: the JDK refused a control character in the header with its own text, as exit 1. An empty one
     * (an unset CI secret) is bad usage too, where it was sent as {@code Bearer } and answered 401.
     */
    static String token(String token) {
        if (token.isEmpty()) {
            throw new CliException(CliException.USAGE, "the token is empty: check NANOLET_TOKEN or --token; nothing was sent");
        }
        if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new CliException(CliException.USAGE, "the token holds a character that is not printable ASCII "
                    + "(a space or a control character inside it): check NANOLET_TOKEN or --token; nothing was sent");
        }
        return token;
    }

    /**
     * {@code server} if it is an http(s) URL with a host and no query or fragment, else bad usage (exit 2) before anything is
     * sent: the JDK refused {@code localhost:8090} with its own text, as exit 1.
     */
    static String serverUrl(String server) {
        URI uri;
        try {
            uri = new URI(server);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new CliException(CliException.USAGE, "not a valid server URL: '" + server + "' (give http://HOST[:PORT] or https://…)");
        }
        return server;
    }

    /** {@code /api/v1/} and then {@code segments}, each one {@link #pathSegment}: a name read from the command line ends nowhere but its own segment. */
    static String path(String... segments) {
        StringBuilder p = new StringBuilder("/api/v1");
        for (String s : segments) {
            p.append('/').append(pathSegment(s));
        }
        return p.toString();
    }

    /**
     * {@link #segment}, and an empty value, {@code .} or {@code ..} refused (exit 2) before anything is sent: no object
     * has such a name, and the server would read them as no segment, this one or its parent ({@code delete secret ..}
     * asked for {@code DELETE …/namespaces/default/}).
     */
    static String pathSegment(String value) {
        if (!isName(value)) {
            throw new CliException(CliException.USAGE, "'" + value + "' is not a name; nothing was sent");
        }
        return segment(value);
    }

    /** Whether {@code value} can be an object's name: not empty, {@code .} or {@code ..}. */
    static boolean isName(String value) {
        return !(value.isEmpty() || value.equals(".") || value.equals(".."));
    }

    /**
     * {@code value} as one path segment: UTF-8, every byte but RFC 3986's unreserved ones percent-encoded, so
     * nothing in it (a {@code /}, {@code ?}, {@code #} or {@code %}) is read as the path's, query's or fragment's syntax.
     */
    static String segment(String value) {
        StringBuilder s = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                s.append((char) c);
            } else {
                s.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return s.toString();
    }

    JsonNode get(String path) {
        return send("GET", path, null, null, callTimeout);
    }

    /**
     * {@link #get} of what must be a JSON array of objects, as every list platform-api answers is: anything else is an
     * unexpected answer (exit 1), where {@code rollout undo} read an object's missing revisions as revision 0 and asked for
     * a rollback to it, and {@code get} printed {@code [1]} as an empty row, exit 0.
     */
    JsonNode list(String path) {
        JsonNode answer = get(path);
        checkList(path, answer, answer);
        return answer;
    }

    /**
     * {@link #get} of one page of a longer list, as {@code GET /audit} answers it: an object whose {@code entries} are a
     * list of objects, as {@link #list} reads one, and whose {@code next} (the next page's {@code before}) is a whole number,
     * or null on the last page. {@code audit} printed a proxy's {@code {"x":1}} as an empty table, exit 0.
     */
    JsonNode page(String path) {
        JsonNode answer = get(path);
        checkList(path, answer.path("entries"), answer);
        if (!(answer.path("next").isIntegralNumber() || answer.path("next").isNull())) {
            throw unexpected(path, "no next page's id or null", answer);
        }
        return answer;
    }

    private void checkList(String path, JsonNode list, JsonNode answer) {
        if (!list.isArray()) {
            throw unexpected(path, "not a list", answer);
        }
        if (list.valueStream().anyMatch(e -> !e.isObject())) {
            throw unexpected(path, "not a list of objects", answer);
        }
    }

    /**
     * {@link #get} of one object, which names itself in {@code field} ({@code name}, a module's {@code digest}): a proxy's
     * {@code {"x":1}} or a {@code []} printed an empty row, exit 0, as if it were the object.
     */
    JsonNode one(String path, String field) {
        JsonNode answer = get(path);
        if (!answer.path(field).isString()) {
            throw unexpected(path, "no object with a " + field, answer);
        }
        return answer;
    }

    private CliException unexpected(String path, String what, JsonNode answer) {
        return new CliException(CliException.ROLLOUT_FAILED, "unexpected answer from " + server + " to GET " + path + ": " + what + ": "
                + Excerpt.line(answer.toString()));
    }

    /** {@link #get}, or a missing node when there is no such object (404). */
    JsonNode find(String path) {
        HttpResponse<String> r = exchange(request("GET", path, null, null, callTimeout).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 404 ? JSON.missingNode() : answer(r);
    }

    <T> T get(String path, Class<T> type) {
        return JSON.treeToValue(get(path), type);
    }

    JsonNode json(String method, String path, Object body) {
        return json(method, path, body, callTimeout);
    }

    /** {@code timeout}: how long the server may take to answer, body and all (longer than a wait it was asked for). */
    JsonNode json(String method, String path, Object body, Duration timeout) {
        return call(method, path, body, timeout).body();
    }

    /** An answer's body and its headers. */
    record Answer(JsonNode body, HttpHeaders headers) {}

    /** {@link #json(String, String, Object, Duration)}, with the answer's headers. */
    Answer call(String method, String path, Object body, Duration timeout) {
        return call(method, path, body, timeout, headers -> {});
    }

    /** {@link #call(String, String, Object, Duration)}, handing the answer's headers to {@code headers} first, a failure's too. */
    Answer call(String method, String path, Object body, Duration timeout, Consumer<HttpHeaders> headers) {
        byte[] bytes = body == null ? null : body instanceof JsonNode n ? JSON.writeValueAsBytes(n) : JSON.writeValueAsBytes(body);
        HttpResponse<String> r = exchange(request(method, path, bytes, "application/json", timeout).build(), HttpResponse.BodyHandlers.ofString());
        headers.accept(r.headers());
        return new Answer(answer(r), r.headers());
    }

    /**
     * {@code body} POSTed to {@code path} however long it takes, failing (exit 1) only once it made no progress for the
     * upload stall bound ({@link Upload}): the server took no more of the body, or, all of it sent, gave no answer.
     */
    JsonNode upload(String path, byte[] body, String contentType) {
        Upload upload = new Upload(body, callTimeout);
        HttpRequest request = request("POST", path, null, null, null).POST(upload).header("Content-Type", contentType).build();
        return answer(exchange(request, () -> upload.send(http, request, HttpResponse.BodyHandlers.ofString())));
    }

    /**
     * Calls {@code onData} with each {@code data:} line of a server-sent event stream until it ends, however long that is
     * (a {@code logs -f} runs until stopped), once its headers came within the call timeout (as any call's: "no answer
     * … within"). A stream that sent nothing for {@link #STREAM_QUIET} (not a line, not a comment) stalled, and one cut once
     * it started (a proxy's idle timeout, a server stopped) ended: exit 1 either way, as a connection ended after a request:
     * what came before was handed on, so it is not exit 4, whose "nothing was sent" a pipeline may read as nothing done. An
     * error answered instead of the stream is its status's, its body cut or not.
     */
    void events(String path, Consumer<String> onData) {
        HttpRequest request = request("GET", path, null, null, callTimeout).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> r = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = new QuietBound(r.body(), streamQuiet)) {
            if (r.statusCode() >= 300) {
                fail(r.statusCode(), errorBody(body), r.headers(), request);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("data:")) {
                    onData.accept(line.substring(5).trim());
                }
            }
        } catch (QuietBound.Stalled e) {
            throw new CliException(CliException.ROLLOUT_FAILED, "the stream from " + server + " to GET " + request.uri().getRawPath()
                    + " stalled: nothing came for " + seconds(streamQuiet) + ": what came before it was printed");
        } catch (IOException e) {
            throw new CliException(CliException.ROLLOUT_FAILED, "the stream from " + server + " to GET " + request.uri().getRawPath()
                    + " was cut " + ended(e) + ": what came before it was printed");
        }
    }

    /** An error's body, at most 1 MB, or what cut it: the error its status says all the same, as nothing was printed. */
    private String errorBody(InputStream body) {
        try {
            return new String(body.readNBytes(1 << 20), StandardCharsets.UTF_8);
        } catch (QuietBound.Stalled e) {
            return "its answer stalled: nothing came for " + seconds(streamQuiet);
        } catch (IOException e) {
            return "its answer was cut " + ended(e);
        }
    }

    private JsonNode send(String method, String path, byte[] body, String contentType, Duration timeout) {
        return answer(exchange(request(method, path, body, contentType, timeout).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * A successful answer's JSON. One that is not JSON (a web page: {@code --server} names another server, or a proxy's
     * login page) exits 1 saying so, where it printed the JSON parser's exception.
     */
    private JsonNode answer(HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            fail(r.statusCode(), r.body(), r.headers(), r.request());
        }
        try {
            return r.body() == null || r.body().isBlank() ? JSON.missingNode() : JSON.readTree(r.body());
        } catch (JacksonException e) {
            throw new CliException(CliException.ROLLOUT_FAILED, r.statusCode() + ": the answer to " + r.request().method() + " "
                    + r.uri().getRawPath() + " is not JSON: is " + server + " platform-api's URL?");
        }
    }

    private HttpRequest.Builder request(String method, String path, byte[] body, String contentType, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .header(REQUEST_ID, requestId)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (contentType != null && body != null) {
            b.header("Content-Type", contentType);
        }
        return b;
    }

    /**
     * {@code request}, which has a timeout, sent and answered: its whole answer as {@code handler} reads it (an event
     * stream's handler, the headers only) within the timeout ({@link AsyncAnswer}), else failing as the JDK fails one whose
     * headers did not come in time.
     */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        long deadline = System.nanoTime() + request.timeout().orElseThrow().toNanos();
        return exchange(request, () -> {
            try {
                return AsyncAnswer.await(http.sendAsync(request, handler), () -> deadline);
            } catch (TimeoutException e) {
                throw new HttpTimeoutException("the answer did not come whole in time");
            }
        });
    }

    /** One exchange with the server, as {@link HttpClient#send} makes it. */
    private interface Exchange<T> {
        HttpResponse<T> send() throws IOException, InterruptedException;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, Exchange<T> exchange) {
        try {
            return exchange.send();
        } catch (HttpConnectTimeoutException | ConnectException | SSLException e) {
            throw unreachable(e); // no connection (refused, unknown host, CONNECT_TIMEOUT) or no TLS session: nothing was sent
        } catch (HttpTimeoutException e) {
            throw noAnswer(request, "within " + seconds(request.timeout().orElseThrow()));
        } catch (Upload.Stalled e) {
            throw stalled(request, e);
        } catch (IOException e) {
            throw noAnswer(request, ended(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted");
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "not a valid server URL: " + server);
        }
    }

    private CliException unreachable(IOException e) {
        return new CliException(CliException.UNREACHABLE, "cannot reach " + server + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    /**
     * An upload that made no progress for its stall bound: the server took no more of its body (exit 1, as the server
     * may have read a part), or, the whole body sent, gave no answer ({@link #noAnswer}).
     */
    private CliException stalled(HttpRequest request, Upload.Stalled e) {
        if (e.sent == e.length) {
            return noAnswer(request, "within " + seconds(callTimeout) + " of the upload's end");
        }
        return new CliException(CliException.ROLLOUT_FAILED, "the upload to " + server + " stalled: no more of the body of POST "
                + request.uri().getRawPath() + " was taken for " + seconds(callTimeout) + " (" + e.sent + " of " + e.length
                + " bytes sent)" + traced(request));
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * The server took the request and gave no answer within its timeout (the call's, or a wait's plus its margin), or
     * lost the connection before answering (a proxy's idle timeout, a server stopped mid-request): not unreachable
     * (exit 4, which a pipeline may retry as nothing done), since the request may have been carried out. Exit 1, as a 5xx,
     * with how long the CLI {@code waited} or how the connection ended.
     */
    private CliException noAnswer(HttpRequest request, String waited) {
        return new CliException(CliException.ROLLOUT_FAILED, "no answer from " + server + " " + waited + " to "
                + request.method() + " " + request.uri().getRawPath() + ": it may still have done what was asked; check before retrying"
                + traced(request));
    }

    /**
     * A line saying where the audit lists what the write {@code request} did, with what else its command did (their
     * request id); nothing for a read, which the audit does not list.
     */
    private static String traced(HttpRequest request) {
        return request.method().equals("GET") ? "" : request.headers().firstValue(REQUEST_ID).map(id -> "\n  request id " + id
                + ": nanolet audit --request-id " + id + " lists what it did").orElse("");
    }

    private static String ended(IOException e) {
        return "(the connection ended: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
    }

    /**
     * A status of 300 or more as a {@link CliException}: a problem's {@code detail}, else the body as {@link Excerpt} says it
     * (a proxy's 502 page or a login page printed whole was kilobytes of HTML), and for a 3xx where it redirects, not
     * followed: the token goes to this server only. A write's 5xx or failed rollout, whose write may stand, names the
     * request's id ({@link #traced}).
     */
    private void fail(int status, String body, HttpHeaders headers, HttpRequest request) {
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (RuntimeException e) {
            problem = JSON.missingNode();
        }
        String detail = problem.path("detail").isString() ? Excerpt.said(problem.path("detail").asString()) : Excerpt.of(body);
        if (status < 400) {
            throw new CliException(CliException.ROLLOUT_FAILED, status + ": redirected to "
                    + headers.firstValue("Location").map(Excerpt::line).orElse("nowhere (no Location)")
                    + ", not followed (the token goes to " + server + " only); is " + server + " platform-api's URL?");
        }
        if (status == 401 || status == 403) {
            throw new CliException(CliException.FORBIDDEN, status + " " + (status == 401 ? "unauthorized" : "forbidden") + ": " + detail);
        }
        if (problem.path("type").asString("").equals(ROLLOUT_FAILED)) {
            throw new CliException(CliException.ROLLOUT_FAILED, rolloutFailure(problem) + traced(request));
        }
        if (status == 400 || status == 422) {
            throw new CliException(CliException.USAGE, (problem.path("detail").isString() ? "" : status + ": ") + detail + fields(problem, detail));
        }
        throw new CliException(CliException.ROLLOUT_FAILED, status + ": " + detail + (status >= 500 ? traced(request) : ""));
    }

    /**
     * A 400's or 422's fields at fault, each on a line of its own but the one its {@code detail} already says (a single
     * invalid field's detail is that field, "limit: must be between 1 and 500"; several wrong values' names the first,
     * "replicas: must be a whole number (and 7 more …)", or from a platform-api before unknown fields were all named,
     * "…; reading stopped at an unknown field, …"), then how many more
     * the server counted without naming them ({@code moreErrors}: it names 20 at most). Only one is left out: a key given
     * twice is named twice, and the detail counts the second among the "more".
     */
    private static String fields(JsonNode problem, String detail) {
        StringBuilder lines = new StringBuilder();
        boolean said = false;
        for (JsonNode e : problem.path("errors")) {
            String field = Excerpt.said(e.path("field").asString() + ": " + e.path("message").asString());
            if (!said && (detail.equals(field) || detail.startsWith(field + " (") || detail.startsWith(field + "; "))) {
                said = true;
            } else {
                lines.append("\n  ").append(field);
            }
        }
        JsonNode more = problem.path("moreErrors");
        if (more.isIntegralNumber() && more.bigIntegerValue().signum() > 0) {
            lines.append("\n  and ").append(more.bigIntegerValue()).append(" more, counted but not named");
        }
        return lines.toString();
    }

    private static String rolloutFailure(JsonNode problem) {
        StringBuilder s = new StringBuilder("rollout failed: ").append(Excerpt.said(problem.path("detail").asString()));
        problem.path("warnings").forEach(w -> s.append("\n  warning ").append(Excerpt.said(w.path("reason").asString() + ": "
                + w.path("message").asString() + " (" + w.path("object").asString() + ")")));
        return s.toString();
    }
}
