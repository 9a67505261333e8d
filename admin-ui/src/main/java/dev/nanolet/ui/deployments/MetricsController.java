package dev.nanolet.ui.deployments;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.wire.MetricsPoint;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The chart's data: platform-api's metrics points for a deployment, as JSON, read by {@code js/metrics.js}. */
@RestController
class MetricsController {
    private final PlatformClient platform;

    MetricsController(PlatformClient platform) {
        this.platform = platform;
    }

    @GetMapping("/deployments/{ns}/{name}/metrics")
    Mono<List<MetricsPoint>> metrics(@PathVariable String ns, @PathVariable String name, @RequestParam(defaultValue = "15") int minutes) {
        return platform.metrics(ns, name, Math.clamp(minutes, 1, 60));
    }
}
