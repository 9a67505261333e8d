import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The few HTTP calls ./nanolet makes, so that it needs nothing but a JDK (no curl).
 * Run as a single-file program: java scripts/Http.java wait|upload|put|get|post ...
 */
class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] a) throws Exception {
        switch (a.length == 0 ? "" : a[0]) {
            case "wait" -> System.exit(waitFor(a[1], Duration.ofSeconds(Long.parseLong(a[2])), a.length > 3 ? a[3] : null, null));
            case "await" -> {
                java.util.Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(a[1]));
                System.exit(process.isEmpty() ? 3 : waitFor(a[2], Duration.ofSeconds(Long.parseLong(a[3])), null, process.get()));
            }
            case "upload" -> send(request(a[1], a[2]).header("Content-Type", "application/wasm")
                    .POST(HttpRequest.BodyPublishers.ofFile(Path.of(a[3]))));
            case "put" -> send(request(a[1], a[2]).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(a[3])));
            case "get" -> send(request(a[1], a.length > 2 ? a[2] : "").GET());
            case "post" -> send(request(a[1], a[2]).POST(HttpRequest.BodyPublishers.noBody()));
            case "move" -> {
                for (int i = 3; i < a.length; i++) {
                    move(a[1], a[2], a[i].substring(0, a[i].indexOf('=')), a[i].substring(a[i].indexOf('=') + 1));
                }
            }
            default -> {
                System.err.println("usage: Http wait URL SECONDS [BODY_PREFIX] | await PID URL SECONDS | upload URL TOKEN FILE | put URL TOKEN JSON | get URL [TOKEN] | post URL TOKEN"
                        + " | move API TOKEN NODE=ADDRESS...");
                System.exit(2);
            }
        }
    }

    static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        return token.isEmpty() ? b : b.header("Authorization", "Bearer " + token);
    }

    static void send(HttpRequest.Builder request) throws Exception {
        send(request, true);
    }

    static void send(HttpRequest.Builder request, boolean print) throws Exception {
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (print || response.statusCode() >= 400) {
            System.out.println(response.body());
        }
        if (response.statusCode() >= 400) {
            System.err.println("HTTP " + response.statusCode());
            System.exit(1);
        }
    }

    /**
     * As the platform's admin, moves a node that platform-api knows at another address to {@code address}
     * (a node may not change its own address: it would get 409 and never register); a node not known yet
     * registers itself.
     */
    static void move(String api, String token, String node, String address) throws Exception {
        HttpResponse<String> known = CLIENT.send(request(api + "/nodes/" + node, token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (known.statusCode() == 404) {
            return;
        }
        if (known.statusCode() != 200) {
            System.err.println("GET " + api + "/nodes/" + node + ": HTTP " + known.statusCode() + " " + known.body());
            System.exit(1);
        }
        java.util.regex.Matcher was = java.util.regex.Pattern.compile("\"address\" *: *\"([^\"]*)\"").matcher(known.body());
        if (was.find() && was.group(1).equals(address)) {
            return;
        }
        send(request(api + "/nodes/" + node + "/address", token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"address\":\"" + address + "\"}")), false);
        System.out.println("    " + node + " moved from " + (was.find(0) ? was.group(1) : "?") + " to " + address);
    }

    /**
     * Polls until the URL answers below 500 (and below 400 with a body starting with {@code prefix}): 0; 1 at the
     * timeout. With a {@code process} (await's, the one that is to answer), 3 as soon as it is gone (or was never
     * there): ./nanolet's await_up then says it exited, at once, where it looked every half second (ps each time).
     */
    static int waitFor(String url, Duration timeout, String prefix, ProcessHandle process) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                return 3;
            }
            try {
                HttpResponse<String> r = CLIENT.send(request(url, "").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (prefix == null ? r.statusCode() < 500 : r.statusCode() < 400 && r.body().startsWith(prefix)) {
                    return 0;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100); // a refused connect or a local GET: nothing to spare on a loaded machine
        }
        return 1;
    }
}
