package dev.nanolet.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.nanolet.platform.dryrun.DryRun;
import dev.nanolet.platform.precondition.ConditionalRead;
import dev.nanolet.platform.precondition.Precondition;
import java.util.Arrays;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The OpenAPI 3.1 document of the public API, served at {@code /v3/api-docs} (public, like the
 * source: it holds no secret) and committed as docs/openapi.json (OpenApiDocumentTest keeps them
 * equal). springdoc reads the controllers; this adds what it cannot see: the bearer scheme, the
 * RFC 9457 problem answers every operation may give (filters answer 401/403/413 before a controller
 * runs), and leaves out the node protocol ({@link NodeTokenScope}: the agents' own protocol,
 * versioned with node-agent and documented in docs/node-protocol.md; no API token may call it), the
 * {@code If-Match}/{@code If-None-Match} headers (with their 412) of the writes that take a {@link Precondition}, and
 * the {@code If-None-Match} header (with its 304) of the reads that take a {@link ConditionalRead}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {
    static final String PROBLEM = "Problem";
    static final String BEARER = "bearer";
    private static final String SCHEMAS = "#/components/schemas/";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Precondition.class, ConditionalRead.class);
    }

    @Bean
    OpenAPI nanoletOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Nanolet platform API").version("v1")
                        .description("The public REST API of platform-api: deployments, modules, manifests, rollouts, "
                                + "tokens, audit, nodes, events, logs and metrics. Every call needs "
                                + "`Authorization: Bearer <token>`; docs/api.md has the role matrix. Errors are "
                                + "RFC 9457 problem details (`application/problem+json`).")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .servers(List.of(new Server().url("/").description("the platform-api this document came from")))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("NANOLET_ADMIN_TOKEN, or an API token (nlt_api_…) from POST /api/v1/tokens")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /**
     * The headers a {@link Precondition} or {@link ConditionalRead} parameter is read from (springdoc sees the
     * parameter, not the headers), the 304 a conditional read may answer, and the one value of {@link DryRun} on a
     * write (on {@code GET /audit} it is a filter, {@code true} or {@code false}).
     */
    @Bean
    OperationCustomizer nanoletConditionalHeaders() {
        return (operation, handler) -> {
            if (takes(handler, Precondition.class)) {
                operation.addParametersItem(new HeaderParameter().name("If-Match").schema(string())
                        .description("Write only if the object exists (`*`) or is at one of these versions, as its `ETag` "
                                + "sent them (`\"42\"`); else 412 naming its current `resourceVersion`"));
                operation.addParametersItem(new HeaderParameter().name("If-None-Match").schema(string())
                        .description("`*`: write only if the object does not exist yet — on `PUT`, create only; on a write "
                                + "that needs the object (scale, rollback, `DELETE`) it can only fail (404, else 412); or a "
                                + "list of tags: only if the object is at none of them; else 412"));
            }
            if (operation.getParameters() != null && !handler.hasMethodAnnotation(GetMapping.class)) { // a read's dryRun is a filter
                operation.getParameters().stream().filter(p -> "query".equals(p.getIn()) && DryRun.PARAMETER.equals(p.getName()))
                        .forEach(p -> p.schema(new Schema<String>().types(java.util.Set.of("string"))._enum(List.of("All"))).description("`All`: check, authorize and "
                                + "answer as the write would, writing nothing (no `ETag`); any other value is 400. A write "
                                + "that does not declare it answers 400 to it"));
            }
            if (takes(handler, ConditionalRead.class)) {
                operation.addParametersItem(new HeaderParameter().name("If-None-Match").schema(string())
                        .description("The `ETag`s a client holds (`\"57\"`, `W/\"57\"`, a list, or `*`): when one is the "
                                + "object's current version, 304 with that `ETag` and no body"));
                operation.getResponses().addApiResponse("304", new ApiResponse()
                        .description("Not Modified: `If-None-Match` names the current version; no body")
                        .addHeaderObject("ETag", new Header().description("The object's `resourceVersion` as a strong entity tag")
                                .schema(string())));
            }
            return operation;
        };
    }

    private static boolean takes(org.springframework.web.method.HandlerMethod handler, Class<?> parameterType) {
        return Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.getParameterType() == parameterType);
    }

    private static Schema<?> string() {
        return typed("string");
    }

    @Bean
    OpenApiCustomizer nanoletProblemsAndScope() {
        return OpenApiDocument::customise;
    }

    @SuppressWarnings("rawtypes")
    static void customise(OpenAPI api) {
        Map<String, PathItem> kept = new TreeMap<>();
        api.getPaths().forEach((path, item) -> {
            item.readOperationsMap().forEach((method, operation) -> {
                if (nodeProtocol(method.name(), path)) {
                    item.operation(method, null);
                } else {
                    addCreated(path, method, operation);
                    addProblems(path, method, operation);
                    addETag(path, operation);
                    addSecretsHeader(path, method, operation);
                }
            });
            if (!item.readOperations().isEmpty()) {
                kept.put(path, item);
            }
        });
        api.getPaths().clear();
        api.getPaths().putAll(kept);
        dropUnreferencedSchemas(api);
        api.getComponents().addSchemas(PROBLEM, problemSchema());
    }

    /** Leaves out the schemas only the node protocol used. */
    @SuppressWarnings("rawtypes")
    private static void dropUnreferencedSchemas(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        java.util.Set<String> used = new java.util.HashSet<>(refs(api.getPaths()));
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(used);
        while (!todo.isEmpty()) {
            Schema<?> schema = schemas.get(todo.pop());
            for (String ref : schema == null ? java.util.Set.<String>of() : refs(schema)) {
                if (used.add(ref)) {
                    todo.push(ref);
                }
            }
        }
        schemas.keySet().retainAll(used);
    }

    private static java.util.Set<String> refs(Object part) {
        String json;
        try {
            json = io.swagger.v3.core.util.Json31.mapper().writeValueAsString(part);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI model", e);
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#/components/schemas/([^\"]+)").matcher(json);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Whether {@code method path} (a path template such as {@code /api/v1/nodes/{node}/assignments}) is the node protocol. */
    static boolean nodeProtocol(String method, String path) {
        String[] s = path.split("/", -1);
        return s.length >= 4 && s[3].equals("nodes") && NodeTokenScope.allows(method, path, s.length > 4 ? s[4] : "");
    }

    private static void addProblems(String path, PathItem.HttpMethod method, Operation operation) {
        boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
        Map<String, String> problems = new LinkedHashMap<>();
        problems.put("400", "Bad request: a malformed parameter or body; `errors` names each field");
        problems.put("401", "No bearer token, or one that is unknown, revoked or expired (with `WWW-Authenticate: Bearer`)");
        problems.put("403", "The token's roles do not allow this call; `detail` names the role and namespace it needs");
        if (path.contains("{")) {
            problems.put("404", "No such object");
        }
        if (write) {
            problems.put("409", "Conflicts with the current state: a route another deployment serves, a concurrent "
                    + "change, an object still in use");
            problems.put("413", "The body is larger than `nanolet.api.max-body-size` (modules: `nanolet.modules.max-size`)");
            problems.put("415", "A Content-Type this operation does not read");
        }
        if (operation.getParameters() != null && operation.getParameters().stream().anyMatch(p -> "If-Match".equals(p.getName()))) {
            problems.put("412", "`If-Match` or `If-None-Match` does not hold: another write came first (or the object "
                    + "does not exist, or already does); `resourceVersion` is the current one");
        }
        if (write || path.endsWith("/rollout")) {
            problems.put("422", "Invalid input (`errors` names each document and field at fault), a dry run that would "
                    + "not fit, or — with `wait=true` and on `…/rollout` — the rollout failed: type "
                    + "`https://nanolet.dev/problems/rollout-failed` with `reason`, the `deployment`, `failingReplicas`, `warnings`, "
                    + "what `atomic` undid and, from `POST /apply`, the `document` that failed");
        }
        if (path.equals("/api/v1/modules") && method == PathItem.HttpMethod.POST) {
            problems.put("503", "As many uploads as `nanolet.modules.max-concurrent-uploads` are being parsed, or as many "
                    + "imports are pulling (with `Retry-After`)");
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        problems.forEach((status, description) -> responses.addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref(SCHEMAS + PROBLEM))))));
        responses.keySet().removeIf(status -> status.startsWith("5") && !problems.containsKey(status));
        operation.setResponses(sorted(responses));
    }

    /**
     * Declares the 201 of a {@code PUT} of one object by its name ({@code …/{name}}: a deployment, a secret), which creates
     * it when it does not exist yet — and so answers its dry run — with the body of the 200 of a replace; springdoc sees
     * the {@code ResponseEntity}, not the status it is given.
     */
    private static void addCreated(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponse replaced = operation.getResponses() == null ? null : operation.getResponses().get("200");
        if (method == PathItem.HttpMethod.PUT && path.endsWith("/{name}") && replaced != null) {
            operation.getResponses().addApiResponse("201", new ApiResponse()
                    .description("Created: the object did not exist (a dry run: it would be created)").content(replaced.getContent()));
        }
    }

    /**
     * Declares the {@code ETag} header ({@code ETagAdvice}) on the success answer of an operation that shows one
     * deployment, secret or node: a read, a conditional write, the rollout wait.
     */
    private static void addETag(String path, Operation operation) {
        operation.getResponses().forEach((status, response) -> {
            boolean one = response.getContent() != null && response.getContent().values().stream()
                    .map(m -> m.getSchema() == null ? "" : String.valueOf(m.getSchema().get$ref()))
                    .anyMatch(ref -> ref.endsWith("/Deployment") || ref.endsWith("/Secret") || ref.endsWith("/NodeInfo"));
            boolean shows = one || path.endsWith("/rollout")
                    || operation.getParameters() != null && operation.getParameters().stream().anyMatch(p -> "If-Match".equals(p.getName()));
            if (status.startsWith("2") && response.getContent() != null && shows) {
                response.addHeaderObject("ETag", new Header()
                        .description("The object's `resourceVersion` as a strong entity tag (`\"57\"`), what `If-Match` names; "
                                + "none on a dry run").schema(string()));
            }
        });
    }

    /**
     * Declares {@code POST /apply}'s {@code Nanolet-Secrets} header ({@code SecretsHeader}) on its 200, and on the 401 and
     * 422 that a {@code wait=true} ends in after the write (the 503 is not declared on any operation).
     */
    private static void addSecretsHeader(String path, PathItem.HttpMethod method, Operation operation) {
        if (method != PathItem.HttpMethod.POST || !path.equals("/api/v1/apply") || operation.getResponses() == null) {
            return;
        }
        Header header = new Header().description("What this request did to each Secret document's secret, in document order, "
                + "comma-separated: `namespace/name created|updated|unchanged VERSION` (`shop/db created 1, shop/api updated 2`); "
                + "none without a Secret document, on a dry run, or when longer than 2048 characters (compare the secrets' "
                + "versions then). Also on a `wait=true` that ends 401, 422 or 503 once the manifest is written: the write stays")
                .schema(string());
        List.of("200", "401", "422").forEach(status -> {
            ApiResponse response = operation.getResponses().get(status);
            if (response != null) {
                response.addHeaderObject("Nanolet-Secrets", header);
            }
        });
    }

    private static ApiResponses sorted(ApiResponses responses) {
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        return sorted;
    }

    /**
     * RFC 9457 problem details, with the members Nanolet adds: every {@code ProblemDetail.setProperty} of the API
     * ({@code ProblemAdvice}, {@code RolloutProblems}, {@code ManifestApi}). Types are set as OpenAPI 3.1 writes them
     * ({@code types}): the 3.0 {@code type} alone is dropped from a 3.1 document, which left every member untyped.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema fieldError = typed("object")
                .addProperty("field", typed("string").description("e.g. documents[0].spec.replicas"))
                .addProperty("message", typed("string"));
        return typed("object").description("RFC 9457 problem details")
                .addProperty("type", typed("string").format("uri-reference")
                        .description("about:blank, or e.g. https://nanolet.dev/problems/rollout-failed"))
                .addProperty("title", typed("string"))
                .addProperty("status", typed("integer"))
                .addProperty("detail", typed("string").description("what went wrong, in words"))
                .addProperty("instance", typed("string").format("uri-reference"))
                .addProperty("errors", typed("array").items(fieldError)
                        .description("each field at fault (400, 409, 422)"))
                .addProperty("moreErrors", typed("integer").minimum(java.math.BigDecimal.ONE)
                        .description("400, or 422 for unknown fields: how many more values of the wrong type or unknown "
                                + "fields the body holds than `errors` names (it names at most 20); absent when `errors` names them all"))
                .addProperty("resourceVersion", typed("string", "null")
                        .description("412: the object's current resource version (null when it does not exist)"))
                .addProperty("reason", typed("string")
                        .description("rollout-failed: ReplicaFailure, ProgressDeadlineExceeded or Timeout"))
                .addProperty("deployment", new Schema<>().$ref(SCHEMAS + "Deployment")
                        .description("rollout-failed: the deployment whose rollout failed, as it was when the wait ended"))
                .addProperty("document", typed("integer").minimum(java.math.BigDecimal.ZERO)
                        .description("rollout-failed from POST /apply: the failed deployment's place in the manifest as sent, "
                                + "counted from 0, Secret documents included (an empty YAML document is not one)"))
                .addProperty("failingReplicas", typed("array").items(new Schema<>().$ref(SCHEMAS + "Replica"))
                        .description("rollout-failed: the current revision's replicas that are not ready, with their reasons"))
                .addProperty("warnings", typed("array").items(new Schema<>().$ref(SCHEMAS + "Event"))
                        .description("rollout-failed: the deployment's latest Warning events"))
                .addProperty("atomic", typed("object").description("rollout-failed with atomic=true: what was undone")
                        .addProperty("action", typed("string").description("what was done, or why nothing was"))
                        .addProperty("revision", typed("integer", "null")
                                .description("the revision rolled back to; null when the deployment was deleted or nothing was undone")))
                .additionalProperties(true);
    }

    @SuppressWarnings("rawtypes")
    private static Schema typed(String... types) {
        return new Schema<>().types(new java.util.LinkedHashSet<>(List.of(types)));
    }
}
