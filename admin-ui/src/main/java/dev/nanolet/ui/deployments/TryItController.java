package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformProperties;
import dev.nanolet.ui.web.Htmx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * "Try it": calls a deployment's HTTP route on the node data plane from the server (so the
 * browser needs no access to the nodes) and shows status, headers and body.
 */
@Controller
class TryItController {
    static final String VIEW = "deployments/try";
    private static final int MAX_BODY = 64 * 1024;
    private final PlatformClient platform;
    private final PlatformProperties properties;
    private final WebClient client;

    TryItController(PlatformClient platform, PlatformProperties properties, WebClient.Builder builder) {
        this.platform = platform;
        this.properties = properties;
        this.client = builder.clone().codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_BODY * 4)).build();
    }

    /** What came back, or {@code error} when nothing did; no {@code url} when the suffix could not be made into one. */
    record Result(String url, int status, List<Map.Entry<String, String>> headers, String body, String error) {}

    /** The "try it" form: what to append to the route's path. */
    record TryForm(String suffix) {}

    @PostMapping("/deployments/{ns}/{name}/try")
    Mono<String> tryIt(@PathVariable String ns, @PathVariable String name, @ModelAttribute TryForm form,
                       Model model, ServerWebExchange exchange) {
        String suffix = form.suffix();
        return platform.deployment(ns, name).flatMap(d -> {
            model.addAttribute("deployment", d);
            String path = d.spec().servesHttp() ? d.spec().http().path() : "/";
            Duration limit = Duration.ofMillis(d.spec().limits().timeoutMs()).plus(properties.timeout());
            return Mono.fromCallable(() -> URI.create(properties.routeUrl() + RouteSuffix.join(path, suffix)))
                    .flatMap(url -> call(url, limit))
                    .onErrorResume(RouteSuffix.NotAPath.class, e -> Mono.just(new Result(null, 0, List.of(), "", e.getMessage())))
                    .doOnNext(r -> model.addAttribute("result", r))
                    .thenReturn(Htmx.isHtmx(exchange) ? VIEW + " :: result" : VIEW);
        });
    }

    /** Waits as long as the workload may run ({@code limits.timeoutMs}) plus the usual API timeout. */
    private Mono<Result> call(URI url, Duration limit) {
        return client.get().uri(url).exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .map(body -> new Result(url.toString(), response.statusCode().value(),
                                response.headers().asHttpHeaders().headerSet().stream()
                                        .map(e -> Map.entry(e.getKey(), String.join(", ", e.getValue()))).toList(),
                                body.length() > MAX_BODY ? body.substring(0, MAX_BODY) + "…" : body, null)))
                .timeout(limit)
                .onErrorResume(e -> Mono.just(new Result(url.toString(), 0, List.of(), "", e.getMessage() == null ? e.toString() : e.getMessage())));
    }
}
