package dev.nanolet.ui;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * A browser without JavaScript: keeps the session cookie, reads the CSRF token from a page,
 * and posts forms with it, exactly as the HTML forms do. Never follows redirects.
 */
final class UiSession {
    static final String COOKIE = "NANOLET_SESSION";
    /** What Chromium sends for a page: error pages depend on it (HTML, not JSON). */
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final WebClient client;
    private final String baseUrl;
    private String session;
    private String plantedFirst;

    /** One response, body read as text. */
    record Response(int status, HttpHeaders headers, String body) {
        String location() {
            return headers.getFirst(HttpHeaders.LOCATION);
        }

        /** The target of a 302 or 303 redirect, else an assertion error with the body. */
        String redirect() {
            if (status != 302 && status != 303) {
                throw new AssertionError("expected a redirect, got " + status + "\n" + body);
            }
            return location();
        }
    }

    UiSession(String baseUrl) {
        this.baseUrl = baseUrl;
        client = WebClient.builder().baseUrl(baseUrl).build();
    }

    /** A browser on another machine, as the server sees it: its connections come from {@code localAddress} (127.0.0.2, say). */
    UiSession(String baseUrl, String localAddress) {
        this(baseUrl, localAddress, Map.of());
    }

    /** The same, sending {@code headers} with every request (a proxy's X-Forwarded-For, say). */
    UiSession(String baseUrl, String localAddress, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        client = WebClient.builder().baseUrl(baseUrl).defaultHeaders(h -> headers.forEach(h::add)).clientConnector(new ReactorClientHttpConnector(
                HttpClient.create().bindAddress(() -> new InetSocketAddress(localAddress, 0)))).build();
    }

    Response signIn(String token) {
        return post("/sign-in", "/sign-in", Map.of("username", "admin", "password", token));
    }

    Response get(String path) {
        return exchange(client.get().uri(path));
    }

    /** GETs {@code uri} exactly as written: its percent-encoding is sent as it is, not encoded again. */
    Response get(java.net.URI uri) {
        return exchange(client.get().uri(uri));
    }

    /** GETs {@code path} with {@code accept} as the Accept header instead of a browser's. */
    Response get(String path, String accept) {
        return exchange(client.get().uri(path), accept);
    }

    /** GETs a page, asserting 200, and answers its HTML. */
    String page(String path) {
        Response r = get(path);
        if (r.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.status() + " " + r.location() + "\n" + r.body());
        }
        return r.body();
    }

    /** GETs the page a redirect's {@code location} names as a browser does: sent as it is, its escapes not escaped again. */
    String follow(String location) {
        Response r = exchange(client.get().uri(java.net.URI.create(baseUrl + location)));
        if (r.status() != 200) {
            throw new AssertionError("GET " + location + " answered " + r.status() + "\n" + r.body());
        }
        return r.body();
    }

    Response htmx(String path) {
        return exchange(client.get().uri(path).header("HX-Request", "true"));
    }

    /** Posts a form as if from {@code pagePath}, with that page's CSRF token. */
    Response post(String pagePath, String action, Map<String, String> fields) {
        var form = new LinkedMultiValueMap<String, String>();
        fields.forEach(form::add);
        return post(pagePath, action, form);
    }

    /** Posts a form whose fields may repeat (the rows of a table of inputs), as if from {@code pagePath}. */
    Response post(String pagePath, String action, org.springframework.util.MultiValueMap<String, String> fields) {
        var form = new LinkedMultiValueMap<>(fields);
        form.add("_csrf", csrfFrom(pagePath));
        return exchange(client.post().uri(action).contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form)));
    }

    /** Posts {@code fields} as they are: a form kept open in a tab, with the CSRF token it was rendered with. */
    Response submit(String action, Map<String, String> fields, boolean htmx) {
        var form = new LinkedMultiValueMap<String, String>();
        fields.forEach(form::add);
        var request = client.post().uri(action).contentType(MediaType.APPLICATION_FORM_URLENCODED);
        if (htmx) {
            request.header("HX-Request", "true");
        }
        return exchange(request.body(BodyInserters.fromFormData(form)));
    }

    Response upload(String filename, byte[] content) {
        var body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return filename;
            }
        }).contentType(MediaType.parseMediaType("application/wasm"));
        body.part("_csrf", csrfFrom("/deployments/new"));
        return exchange(client.post().uri("/deployments/new/upload").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())));
    }

    /**
     * Uploads {@code content} as a script may, its part's {@code Content-Disposition} parameters written by hand after
     * {@code form-data; name="file"; } ({@code filename*=UTF-8''a%0D%0Ab.wasm}, which a browser never sends).
     */
    Response uploadRaw(String dispositionParameters, byte[] content) {
        String boundary = "b" + java.util.UUID.randomUUID();
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrfFrom("/deployments/new")
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; " + dispositionParameters
                + "\r\nContent-Type: application/wasm\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return exchange(client.post().uri("/deployments/new/upload").contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
                .bodyValue(body.toByteArray()));
    }

    /** The CSRF token of the sign-out (or any) form on {@code path}, error pages included. */
    String csrfFrom(String path) {
        String html = get(path).body();
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on " + path + ":\n" + html);
        }
        return m.group(1);
    }

    /** The session cookie's value, or null before there is one. */
    String sessionId() {
        return session;
    }

    /** Sends {@code id} as the session cookie from now on, as a cookie planted by another site would be. */
    void plant(String id) {
        session = id;
    }

    /**
     * Sends {@code id} as a second session cookie, before this session's own, as a browser does
     * with one that a page on the dashboard's host name set for a narrower path.
     */
    void plantAlongside(String id) {
        plantedFirst = id;
    }

    /** Adds the session cookie, for tests that make their own requests. */
    void cookie(org.springframework.util.MultiValueMap<String, String> cookies) {
        if (session != null) {
            cookies.add(COOKIE, session);
        }
    }

    private Response exchange(WebClient.RequestHeadersSpec<?> request) {
        return exchange(request, BROWSER_ACCEPT);
    }

    private Response exchange(WebClient.RequestHeadersSpec<?> request, String accept) {
        request.header(HttpHeaders.ACCEPT, accept);
        if (plantedFirst != null) {
            request.cookie(COOKIE, plantedFirst);
        }
        if (session != null) {
            request.cookie(COOKIE, session);
        }
        return request.exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
            ResponseCookie c = r.cookies().getFirst(COOKIE);
            if (c != null) {
                session = c.getValue().isEmpty() ? null : c.getValue();
            }
            return new Response(r.statusCode().value(), r.headers().asHttpHeaders(), body);
        })).block(Duration.ofSeconds(20));
    }
}
