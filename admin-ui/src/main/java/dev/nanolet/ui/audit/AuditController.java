package dev.nanolet.ui.audit;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.web.Permissions;
import dev.nanolet.ui.web.Problems;
import dev.nanolet.wire.AuditEntry;
import dev.nanolet.wire.Grant;
import dev.nanolet.wire.Role;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The audit log ({@code GET /audit}), newest first, filtered by namespace, actor, dry run and request id, with a link to
 * the older page and, on each entry's request id, to the entries of that request ({@link AuditQuery#request}).
 * platform-api decides who reads what: its refusal (403, or 400/422 for a filter it does not take) is shown above the
 * filters, with its status, so they can be changed; a 401 signs out as everywhere. A filter given twice is refused here
 * (400) before anything is asked.
 */
@Controller
class AuditController {
    static final String VIEW = "audit";
    private final PlatformClient platform;

    AuditController(PlatformClient platform) {
        this.platform = platform;
    }

    /** For an admin somewhere, as platform-api answers {@code GET /audit}: anyone else gets the dashboard's 403 naming the role. */
    @GetMapping("/audit")
    Mono<String> list(@RequestParam MultiValueMap<String, String> query, Model model, ServerWebExchange exchange) {
        return Permissions.require(exchange, Permissions.May::adminSomewhere, "role admin in a namespace").then(Permissions.of(exchange)).map(may -> firstAdminNamespace(may.identity().grants())).defaultIfEmpty("")
                .map(ns -> AuditQuery.of(query, ns.isEmpty() ? null : ns))
                .flatMap(filters -> {
                    model.addAttribute("filter", filters.filters());
                    model.addAttribute("formLimit", filters.formLimit());
                    String repeated = AuditQuery.repeated(query);
                    if (repeated != null) {
                        exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
                        model.addAttribute("repeated", repeated);
                        model.addAttribute("entries", List.of());
                        return Mono.just(VIEW);
                    }
                    return platform.audit(filters.filters())
                            .doOnNext(page -> {
                                model.addAttribute("entries", page.entries());
                                model.addAttribute("requestLinks", page.entries().stream().map(AuditEntry::requestId)
                                        .filter(Objects::nonNull).distinct().collect(Collectors.toMap(id -> id, filters::request)));
                                model.addAttribute("older", page.next() == null ? null : filters.before(page.next()).uri("/audit"));
                            })
                            .thenReturn(VIEW)
                            .onErrorResume(PlatformException.Refused.class, e -> e.status() >= 400 && e.status() < 500 && e.status() != 401
                                    ? refused(e, model, exchange) : Mono.error(e));
                });
    }

    private static Mono<String> refused(PlatformException.Refused e, Model model, ServerWebExchange exchange) {
        exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(e.status()));
        model.addAttribute("refused", Problems.describe(e.problem()));
        model.addAttribute("entries", List.of());
        return Mono.just(VIEW);
    }

    /** For a token that is admin in namespaces but not cluster-wide, the first of them, whose log it may read; else empty. */
    private static String firstAdminNamespace(List<Grant> grants) {
        if (grants.stream().anyMatch(g -> g.role() == Role.admin && g.namespace() == null)) {
            return "";
        }
        return grants.stream().filter(g -> g.role() == Role.admin).map(Grant::namespace).findFirst().orElse("");
    }
}
