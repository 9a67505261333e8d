package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.HttpSpec;
import dev.nanolet.wire.DeploymentSpec.JobSpec;
import dev.nanolet.wire.DeploymentSpec.Limits;
import dev.nanolet.wire.Problem.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    static final String MODULE = "sha256:" + "ab".repeat(32);

    static List<String> fields(String ns, String name, DeploymentSpec spec) {
        return SpecValidator.validate(ns, name, spec, MODULE::equals, 1000).stream().map(FieldError::field).toList();
    }

    static DeploymentSpec http(String path) {
        return new DeploymentSpec(MODULE, new HttpSpec(path), null, 1, null, null, null, null);
    }

    @Test
    void aGoodSpecHasNoErrors() {
        assertThat(fields("default", "hello-1", http("/hello"))).isEmpty();
        assertThat(fields("a", "b", new DeploymentSpec(MODULE, null, new JobSpec(null), 0, List.of("x"),
                Map.of("GREETING", "hi"), new Limits(4096, 600_000, 1000), Map.of("zone", "eu")))).isEmpty();
    }

    @Test
    void everyListIsBounded() {
        var env = new java.util.HashMap<String, String>();
        var selector = new java.util.HashMap<String, String>();
        java.util.stream.IntStream.range(0, 257).forEach(i -> env.put("E" + i, "v"));
        java.util.stream.IntStream.range(0, 65).forEach(i -> selector.put("k" + i, "v"));
        List<String> args = java.util.Collections.nCopies(257, "a");
        assertThat(fields("a", "b", new DeploymentSpec(MODULE, null, new JobSpec(null), 0, args, env, null, selector)))
                .containsExactly("args", "env", "nodeSelector");
    }

    @Test
    void namesAreDns1123Labels() {
        assertThat(fields("Default", "-x", http("/a"))).containsExactly("namespace", "name");
        assertThat(fields("a".repeat(64), "x_y", http("/a"))).containsExactly("namespace", "name");
        assertThat(fields("a".repeat(63), "x-y", http("/a"))).isEmpty();
    }

    @Test
    void everyViolationIsNamedAtOnce() {
        DeploymentSpec spec = new DeploymentSpec("sha256:nope", new HttpSpec("/a"), new JobSpec(null), 1001,
                List.of("ok"), Map.of("1BAD", "x"), new Limits(0, 600_001, 0), null);

        assertThat(fields("default", "x", spec)).containsExactly("module", "job", "replicas",
                "limits.memoryMiB", "limits.timeoutMs", "limits.maxConcurrency", "env.1BAD");
    }

    /** A client's {@code Upstream:} header becomes HTTP_UPSTREAM: a deployment's own HTTP_UPSTREAM is refused, with why. */
    @Test
    void envNamesThatCgiSetsPerRequestAreRefused() {
        DeploymentSpec spec = new DeploymentSpec(MODULE, new HttpSpec("/a"), null, 1, null,
                Map.of("HTTP_UPSTREAM", "http://internal", "SERVER_NAME", "x", "CONTENT_TYPE", "y", "http_proxy", "ok", "HTTPS_ON", "ok"),
                null, null);
        List<FieldError> errors = SpecValidator.validate("a", "b", spec, MODULE::equals, 1000);
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("env.HTTP_UPSTREAM", "env.SERVER_NAME", "env.CONTENT_TYPE");
        assertThat(errors).filteredOn(e -> e.field().equals("env.HTTP_UPSTREAM")).extracting(FieldError::message)
                .singleElement().asString().contains("request header");
    }

    /** A job gets no request variables, and the node never sets HTTP_PROXY nor HTTP_CONTENT_TYPE: nothing to hide. */
    @Test
    void envNamesNoNodeSetsForTheDeploymentAreAccepted() {
        var env = Map.of("HTTP_PROXY", "http://proxy:3128", "HTTP_CONTENT_TYPE", "x", "HTTP_lower", "x");
        assertThat(fields("a", "b", new DeploymentSpec(MODULE, new HttpSpec("/a"), null, 1, null, env, null, null))).isEmpty();
        assertThat(fields("a", "b", new DeploymentSpec(MODULE, null, new JobSpec(null), 1, null,
                Map.of("HTTP_UPSTREAM", "http://internal", "SERVER_NAME", "x"), null, null))).isEmpty();
    }

    @Test
    void exactlyOneOfHttpAndJob() {
        assertThat(fields("a", "b", new DeploymentSpec(MODULE, null, null, 1, null, null, null, null)))
                .containsExactly("http");
    }

    @Test
    void httpPathsStartWithSlashAndAreNotReserved() {
        for (String bad : new String[] {"hello", "", "/a b", "/a?x=1", "/_nanolet/v1", "/actuator", "//actuator/", "/%5Fnanolet",
                "/a%2Fb", "/a/../b", "/a%zz"}) {
            assertThat(fields("a", "b", http(bad))).as(bad).containsExactly("http.path");
        }
        assertThat(fields("a", "b", http(null))).containsExactly("http.path");
        assertThat(fields("a", "b", http("/"))).isEmpty();
    }

    @Test
    void unknownOrMalformedModule() {
        assertThat(SpecValidator.validate("a", "b", http("/a"), m -> false, 1000))
                .containsExactly(new FieldError("module", "no module " + MODULE + " is stored; upload it first"));
        assertThat(fields("a", "b", new DeploymentSpec(null, new HttpSpec("/a"), null, 1, null, null, null, null)))
                .containsExactly("module");
    }

    @Test
    void replicasBounds() {
        assertThat(SpecValidator.validateReplicas(-1, 1000)).extracting(FieldError::field).containsExactly("replicas");
        assertThat(SpecValidator.validateReplicas(null, 1000)).extracting(FieldError::field).containsExactly("replicas");
        assertThat(SpecValidator.validateReplicas(0, 1000)).isEmpty();
        assertThat(SpecValidator.validateReplicas(1000, 1000)).isEmpty();
        assertThat(SpecValidator.validateReplicas(1001, 1000)).containsExactly(new FieldError("replicas", "must be between 0 and 1000"));
        assertThat(SpecValidator.validateReplicas(1001, 5000)).isEmpty();
        assertThat(SpecValidator.validateReplicas(5001, 5000)).containsExactly(new FieldError("replicas", "must be between 0 and 5000"));
    }

    @Test
    void theCapIsASettingWithinSaneBounds() {
        assertThat(new DeploymentProperties(1000).maxReplicas()).isEqualTo(1000);
        assertThatThrownBy(() -> new DeploymentProperties(0)).hasMessageContaining("nanolet.deployments.max-replicas");
        assertThatThrownBy(() -> new DeploymentProperties(DeploymentProperties.CEILING + 1)).hasMessageContaining("100000");
    }

    @Test
    void missingBodyIsNamed() {
        assertThat(fields("a", "b", null)).containsExactly("spec");
    }
}
