package dev.nanolet.agent.http;

import dev.nanolet.wire.Route;
import java.util.List;
import reactor.core.publisher.Mono;

/** Where the platform's route table comes from ({@code GET /api/v1/routes}); never blocks. */
public interface RouteSource {
    Mono<List<Route>> routes();
}
