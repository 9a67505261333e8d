package dev.nanolet.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pods → assignments, and the pods a Wasm node refuses with a reason. */
class PodTranslationTest {

    private static final PodTranslation.Lookup LOOKUP = new PodTranslation.Lookup() {
        @Override
        public Optional<Map<String, String>> configMap(String namespace, String name) {
            return name.equals("settings") ? Optional.of(Map.of("greeting", "hello", "level", "debug")) : Optional.empty();
        }

        @Override
        public Optional<Map<String, String>> secret(String namespace, String name) {
            return name.equals("db") ? Optional.of(Map.of("password", "s3cret")) : Optional.empty();
        }
    };

    private static PodTranslation.Result translate(Pod pod) {
        return PodTranslation.translate(pod, 1, "10.1.2.3", LOOKUP);
    }

    private static PodBuilder pod(String restartPolicy) {
        return MockCluster.pod("web-1", "n1", "registry.example/hello:v1", restartPolicy);
    }

    @Test
    void anHttpPodTakesItsRouteFromTheAnnotationOrThePortNameAndItsLimitsFromResourcesAndAnnotations() {
        Pod annotated = pod("Always").editMetadata().addToAnnotations(Map.of(PodTranslation.ROUTE, "/hello",
                        PodTranslation.TIMEOUT, "2s", PodTranslation.CONCURRENCY, "3")).endMetadata()
                .editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity("48Mi")).endResources()
                .endContainer().endSpec().build();

        var a = ((PodTranslation.Run) translate(annotated)).assignment();
        assertThat(a.spec().servesHttp()).isTrue();
        assertThat(a.spec().http().path()).isEqualTo("/hello");
        assertThat(a.moduleDigest()).isEqualTo("registry.example/hello:v1");
        assertThat(a.spec().limits().memoryMiB()).isEqualTo(48);
        assertThat(a.spec().limits().timeoutMs()).isEqualTo(2000);
        assertThat(a.spec().limits().maxConcurrency()).isEqualTo(3);
        assertThat(a.replicaId().toString()).isEqualTo(annotated.getMetadata().getUid());

        Pod byPort = pod(null).editSpec().editFirstContainer().addNewPort().withName("greet").withContainerPort(8181).endPort()
                .endContainer().endSpec().build();
        assertThat(((PodTranslation.Run) translate(byPort)).assignment().spec().http().path()).isEqualTo("/greet");
    }

    @Test
    void restartPolicyNeverOrOnFailureMakesAJobAndCommandThenArgsMakeItsArgv() {
        Pod pod = pod("OnFailure").editSpec().editFirstContainer().withCommand("run").withArgs("--fast", "3").endContainer().endSpec().build();

        var a = ((PodTranslation.Run) translate(pod)).assignment();
        assertThat(a.spec().job().restartPolicy()).isEqualTo(RestartPolicy.OnFailure);
        assertThat(a.spec().args()).containsExactly("run", "--fast", "3");
        assertThat(((PodTranslation.Run) translate(pod("Never").build())).assignment().spec().job().restartPolicy()).isEqualTo(RestartPolicy.Never);
    }

    @Test
    void envComesFromValuesConfigMapsSecretsAndFields() {
        Pod pod = pod("Never").editMetadata().addToLabels("app", "web").endMetadata().editSpec().editFirstContainer()
                .withEnv(new EnvVarBuilder().withName("PLAIN").withValue("v").build(),
                        new EnvVarBuilder().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "settings", null)
                                .endValueFrom().build(),
                        new EnvVarBuilder().withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "db", null)
                                .endValueFrom().build(),
                        new EnvVarBuilder().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
                                .endValueFrom().build(),
                        new EnvVarBuilder().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']")
                                .endFieldRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef()
                                .endValueFrom().build())
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().build();

        assertThat(((PodTranslation.Run) translate(pod)).assignment().spec().env()).containsAllEntriesOf(Map.of(
                "PLAIN", "v", "GREETING", "hello", "DB_PASSWORD", "s3cret", "POD", "web-1", "APP", "web", "IP", "10.1.2.3",
                "CFG_level", "debug"));
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    /**
     * As a kubelet: an env value names envFrom's and the env before it (a name defined later, or only by a valueFrom
     * that is not a value, is not expanded in it), command and args name the whole env, and a valueFrom is never expanded.
     */
    @Test
    void referencesInEnvValuesNameWhatCameBeforeAndInCommandAndArgsTheWholeEnv() {
        Pod pod = pod("Never").editMetadata().addToAnnotations("note", "$(CFG_level)").endMetadata().editSpec().editFirstContainer()
                .withCommand("run", "--level=$(CFG_level)").withArgs("$(LATER)", "$$(LATER)", "$(NOTE)", "$(MISSING)")
                .withEnv(value("FIRST", "[$(CFG_level)|$(LATER)]"), value("SELF", "$(SELF)"), value("LEVEL", "debug"),
                        value("LEVEL", "$(LEVEL)-again"),
                        new EnvVarBuilder().withName("NOTE").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.annotations['note']")
                                .endFieldRef().endValueFrom().build(),
                        value("LATER", "late $(FIRST)"))
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().build();

        var spec = ((PodTranslation.Run) translate(pod)).assignment().spec();
        assertThat(spec.env()).containsEntry("FIRST", "[debug|$(LATER)]").containsEntry("SELF", "$(SELF)")
                .containsEntry("LEVEL", "debug-again").containsEntry("NOTE", "$(CFG_level)").containsEntry("LATER", "late [debug|$(LATER)]");
        assertThat(spec.args()).containsExactly("run", "--level=debug", "late [debug|$(LATER)]", "$(LATER)", "$(CFG_level)", "$(MISSING)");
    }

    /**
     * A chain of env values each naming the one before 16 times, from a pod of 1 KiB, would make its fifth 4 MiB and its
     * tenth 4 TiB: past 1 MiB of expansion over the container (env, command and args) the pod is refused, before the text is built.
     */
    @Test
    void referencesThatWouldGrowThePodPastTheBoundRefuseIt() {
        String sixteen = "$(V)".repeat(16);
        List<EnvVar> chain = new java.util.ArrayList<>(List.of(value("V0", "x".repeat(64))));
        for (int i = 1; i <= 9; i++) {
            chain.add(value("V" + i, sixteen.replace("V", "V" + (i - 1))));
        }
        Pod hostile = pod("Never").editSpec().editFirstContainer().withEnv(chain).endContainer().endSpec().build();
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> translate(hostile))).isEqualTo(new PodTranslation.Refuse(
                "UnsupportedPod", "env V4: its $(VAR) references expand the container's command, args and env by more than 1048576"
                + " characters (1 MiB), the most a Wasm node expands"));

        Pod inArgs = pod("Never").editSpec().editFirstContainer().withEnv(chain.subList(0, 4)).withArgs(sixteen.replace("V", "V3"))
                .endContainer().endSpec().build();
        assertThat(((PodTranslation.Refuse) translate(inArgs)).message()).startsWith("args: its $(VAR) references expand");
        Pod within = pod("Never").editSpec().editFirstContainer().withEnv(chain.subList(0, 4)).withArgs("$(V3)$(V3)").endContainer().endSpec().build();
        assertThat(((PodTranslation.Run) translate(within)).assignment().spec().args()).containsExactly("x".repeat(2 * 64 * 16 * 16 * 16));
    }

    private static EnvVar resource(String name, String resource, String divisor) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewResourceFieldRef().withResource(resource)
                .withDivisor(divisor == null ? null : new Quantity(divisor)).endResourceFieldRef().endValueFrom().build();
    }

    /**
     * {@code resourceFieldRef} as a kubelet resolves it: the container's limit or request, in its divisor (1 by
     * default), rounded up; an unset limit is what the node gives the module (its default memory limit, the node's
     * processors), an unset request the limit, else 0. Without limits the pod waited in CreateContainerConfigError
     * for ever, a request was empty, and {@code 500m} of CPU was 0.
     */
    @Test
    void resourceFieldRefIsTheLimitOrRequestInItsDivisorRoundedUpOrWhatTheNodeGives() {
        List<EnvVar> env = List.of(resource("MEM", "limits.memory", null), resource("MEM_MI", "limits.memory", "1Mi"),
                resource("CPU", "limits.cpu", null), resource("CPU_M", "limits.cpu", "1m"), resource("REQ_MEM", "requests.memory", null),
                resource("REQ_CPU", "requests.cpu", "1m"));
        Pod limited = pod("Never").editSpec().editFirstContainer().withEnv(env).withNewResources().addToLimits("memory", new Quantity("48Mi"))
                .addToLimits("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("32Mi")).endResources().endContainer().endSpec().build();
        Pod bare = pod("Never").editSpec().editFirstContainer().withEnv(env).endContainer().endSpec().build();

        assertThat(((PodTranslation.Run) translate(limited)).assignment().spec().env()).isEqualTo(Map.of("MEM", "50331648", "MEM_MI", "48",
                "CPU", "1", "CPU_M", "500", "REQ_MEM", "33554432", "REQ_CPU", "500"));
        assertThat(((PodTranslation.Run) translate(bare)).assignment().spec().env()).isEqualTo(Map.of("MEM", "67108864", "MEM_MI", "64",
                "CPU", Integer.toString(Runtime.getRuntime().availableProcessors()), "CPU_M", Runtime.getRuntime().availableProcessors() + "000",
                "REQ_MEM", "0", "REQ_CPU", "0"));
    }

    /**
     * A resource an API server takes in a resourceFieldRef, with a capital in its name ({@code hugepages-2Mi}), is the
     * container's limit as before: read as no resource at all, it failed the pod as UnsupportedPod.
     */
    @Test
    void resourceFieldRefOfHugePagesIsTheirLimit() {
        Pod pod = pod("Never").editSpec().editFirstContainer().withEnv(resource("HUGE", "limits.hugepages-2Mi", null),
                resource("HUGE_MI", "requests.hugepages-2Mi", "1Mi")).withNewResources().addToLimits("hugepages-2Mi", new Quantity("4Mi"))
                .endResources().endContainer().endSpec().build();

        assertThat(((PodTranslation.Run) translate(pod)).assignment().spec().env()).isEqualTo(Map.of("HUGE", "4194304", "HUGE_MI", "4"));
    }

    /** A valueFrom or field a Wasm node cannot resolve fails the pod: its env is fixed, so waiting (as it did) was for ever. */
    @Test
    void anEnvTheNodeCannotResolveFailsThePodRatherThanWaitingForEver() {
        Pod field = pod("Never").editSpec().editFirstContainer().withEnv(new EnvVarBuilder().withName("F").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.generateName").endFieldRef().endValueFrom().build()).endContainer().endSpec().build();
        Pod resource = pod("Never").editSpec().editFirstContainer().withEnv(resource("R", "cpu", null)).endContainer().endSpec().build();
        Pod empty = pod("Never").editSpec().editFirstContainer().withEnv(new EnvVarBuilder().withName("E").withNewValueFrom().endValueFrom()
                .build()).endContainer().endSpec().build();

        assertThat(translate(field)).isEqualTo(new PodTranslation.Refuse("UnsupportedPod", "fieldRef metadata.generateName is not supported"));
        assertThat(translate(resource)).isEqualTo(new PodTranslation.Refuse("UnsupportedPod",
                "env R: cpu is not limits.<resource> or requests.<resource>"));
        assertThat(translate(empty)).isEqualTo(new PodTranslation.Refuse("UnsupportedPod", "env E: this valueFrom is not supported on a Wasm node"));
    }

    @Test
    void aMissingConfigMapOrKeyWaitsAsTheKubeletDoes() {
        Pod pod = pod("Never").editSpec().editFirstContainer().withEnv(new EnvVarBuilder().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("nope", "settings", null).endValueFrom().build()).endContainer().endSpec().build();

        assertThat(translate(pod)).isEqualTo(new PodTranslation.Wait("CreateContainerConfigError", "couldn't find key nope in configmap settings",
                PodTranslation.Retry.MISSING));
        Pod optional = pod("Never").editSpec().editFirstContainer().withEnv(new EnvVarBuilder().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("k", "absent", true).endValueFrom().build()).endContainer().endSpec().build();
        assertThat(translate(optional)).isInstanceOf(PodTranslation.Run.class);
    }

    /** A container that started keeps the env it started with ({@link StartedEnv}): nothing is looked up, so nothing is missing. */
    @Test
    void aStartedContainersEnvIsKeptAsItIs() {
        Pod pod = pod("Never").editSpec().editFirstContainer().withEnv(new EnvVarBuilder().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("nope", "gone", null).endValueFrom().build()).endContainer().endSpec().build();

        var run = PodTranslation.translate(pod, 2, "10.1.2.3", LOOKUP, Optional.of(Map.of("X", "started")));
        assertThat(((PodTranslation.Run) run).assignment().spec().env()).isEqualTo(Map.of("X", "started"));
    }

    @Test
    void podsAWasmNodeCannotRunAreRefusedWithAReason() {
        Pod sidecar = pod("Always").editSpec().addToContainers(new ContainerBuilder().withName("envoy").withImage("envoy").build()).endSpec().build();
        Pod init = pod("Never").editSpec().addNewInitContainer().withName("init").withImage("busybox").endInitContainer().endSpec().build();
        Pod daemon = pod("Always").editMetadata().addNewOwnerReference().withKind("DaemonSet").withName("kube-proxy").withController(true)
                .withApiVersion("apps/v1").withUid("u").endOwnerReference().endMetadata().build();
        Pod noRoute = pod("Always").build();
        Pod badTimeout = pod("Never").editMetadata().addToAnnotations(PodTranslation.TIMEOUT, "soon").endMetadata().build();
        Pod badRoute = pod("Always").editMetadata().addToAnnotations(PodTranslation.ROUTE, "/a%2Fb").endMetadata().build();
        Pod nodesRoute = pod("Always").editMetadata().addToAnnotations(PodTranslation.ROUTE, "//actuator/").endMetadata().build();

        assertThat(translate(sidecar)).isInstanceOfSatisfying(PodTranslation.Refuse.class, r -> assertThat(r.message()).contains("exactly one container"));
        assertThat(translate(init)).isInstanceOfSatisfying(PodTranslation.Refuse.class, r -> assertThat(r.message()).contains("init containers"));
        assertThat(translate(daemon)).isInstanceOfSatisfying(PodTranslation.Refuse.class, r -> assertThat(r.message()).contains("DaemonSet"));
        assertThat(translate(noRoute)).isInstanceOfSatisfying(PodTranslation.Refuse.class, r -> assertThat(r.message()).contains(PodTranslation.ROUTE));
        assertThat(translate(badTimeout)).isInstanceOfSatisfying(PodTranslation.Refuse.class, r -> assertThat(r.message()).contains("soon"));
        assertThat(translate(badRoute)).isInstanceOfSatisfying(PodTranslation.Refuse.class, r -> assertThat(r.message()).startsWith("route /a%2Fb: "));
        assertThat(translate(nodesRoute)).isInstanceOfSatisfying(PodTranslation.Refuse.class,
                r -> assertThat(r.message()).isEqualTo("route /actuator is reserved for the node agent"));
    }

    /**
     * A timeout too long for a {@code long} of milliseconds (or even of minutes) is refused as out of range: it threw an
     * {@code ArithmeticException} that no one caught, and the pod stayed {@code Pending} without a word.
     */
    @Test
    void aTimeoutBeyondAnyClockIsRefusedAsOutOfRange() {
        for (String bad : List.of("9223372036854775807m", "99999999999999999999s", "153722867280912931m", "3601s", "61m", "0s", "000")) {
            Pod pod = pod("Never").editMetadata().addToAnnotations(PodTranslation.TIMEOUT, bad).endMetadata().build();
            assertThat(translate(pod)).as(bad).isEqualTo(new PodTranslation.Refuse("UnsupportedPod",
                    "annotation " + PodTranslation.TIMEOUT + " '" + bad + "' is not between 1ms and 1h"));
        }
        Pod hour = pod("Never").editMetadata().addToAnnotations(PodTranslation.TIMEOUT, "0060m").endMetadata().build();
        assertThat(((PodTranslation.Run) translate(hour)).assignment().spec().limits().timeoutMs()).isEqualTo(3_600_000);
    }

    /**
     * Hours, as platform-api's wait timeout and the CLI take them (their parser reads a bare number as seconds, this
     * annotation as ms, so each keeps its own): {@code 1h} is the cap itself, more is out of range, and what is not a
     * whole number of hours is no duration.
     */
    @Test
    void aTimeoutInHoursIsReadUpToTheCap() {
        for (String hour : List.of("1h", "01h", " 1h ")) {
            Pod pod = pod("Never").editMetadata().addToAnnotations(PodTranslation.TIMEOUT, hour).endMetadata().build();
            assertThat(((PodTranslation.Run) translate(pod)).assignment().spec().limits().timeoutMs()).as(hour).isEqualTo(3_600_000);
        }
        for (String tooLong : List.of("2h", "0h", "9999999h", "99999999999999999999h")) {
            Pod pod = pod("Never").editMetadata().addToAnnotations(PodTranslation.TIMEOUT, tooLong).endMetadata().build();
            assertThat(translate(pod)).as(tooLong).isEqualTo(new PodTranslation.Refuse("UnsupportedPod",
                    "annotation " + PodTranslation.TIMEOUT + " '" + tooLong + "' is not between 1ms and 1h"));
        }
        for (String bad : List.of("1.5h", "-1h", "1e9h", "h", "1hh", "1H", "1 h", "\u0661h")) {
            Pod pod = pod("Never").editMetadata().addToAnnotations(PodTranslation.TIMEOUT, bad).endMetadata().build();
            assertThat(translate(pod)).as(bad).isEqualTo(new PodTranslation.Refuse("UnsupportedPod",
                    "annotation " + PodTranslation.TIMEOUT + " '" + bad + "' is not a duration like 5s, 500ms, 2m or 1h"));
        }
    }

    /**
     * A quantity with a huge exponent, which an API server keeps as it is written (only binary-suffixed ones are
     * capped): the division that made it MiB, or the integer that made it an env value, ran for hours on the single
     * thread that weighs every pod of the node, so no other pod started or stopped meanwhile. Refused at once now.
     */
    @Test
    void aQuantityWithAHugeExponentIsRefusedAtOnce() {
        for (String huge : List.of("1e99999999", "1e999999999", "1E999999999")) {
            Pod memory = pod("Never").editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity(huge))
                    .endResources().endContainer().endSpec().build();
            Pod env = pod("Never").editSpec().editFirstContainer().withNewResources().addToLimits("cpu", new Quantity(huge)).endResources()
                    .withEnv(new EnvVarBuilder().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
                            .endResourceFieldRef().endValueFrom().build()).endContainer().endSpec().build();

            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertThat(translate(memory)).as(huge).isEqualTo(new PodTranslation.Refuse("UnsupportedPod",
                        "limits.memory " + huge + " is not between 1Mi and 64Gi"));
                assertThat(translate(env)).as(huge).isEqualTo(new PodTranslation.Refuse("UnsupportedPod",
                        "env CPU: limits.cpu " + huge + " is too large"));
            });
        }
        Pod tiny = pod("Never").editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity("1e-999999999"))
                .endResources().endContainer().endSpec().build();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThat(((PodTranslation.Run) translate(tiny)).assignment().spec().limits().memoryMiB()).isEqualTo(1));
    }

    /**
     * A quantity of a million digits, which a pod's spec may hold: parsing it took a minute on the thread that weighs
     * every pod of the node, and its refusal echoed it whole into the pod's status and event. Refused unread now.
     */
    @Test
    void aQuantityOfAMillionDigitsIsRefusedUnread() {
        String digits = "7".repeat(1_000_000);
        Pod memory = pod("Never").editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity(digits))
                .endResources().endContainer().endSpec().build();
        Pod env = pod("Never").editSpec().editFirstContainer().withNewResources().addToLimits("cpu", new Quantity(digits)).endResources()
                .withEnv(resource("CPU", "limits.cpu", null)).endContainer().endSpec().build();
        String shown = "7".repeat(64) + "… (1000000 characters)";

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(translate(memory)).isEqualTo(new PodTranslation.Refuse("UnsupportedPod", "limits.memory " + shown + " is not between 1Mi and 64Gi"));
            assertThat(translate(env)).isEqualTo(new PodTranslation.Refuse("UnsupportedPod", "env CPU: limits.cpu " + shown + " is too long"));
        });
    }

    /**
     * A route annotation may be as long as a pod's annotations (256 KiB): weighing {@code /a/a/…} against the node's
     * routes made each of its prefixes, one per segment, and kept them all at once, gigabytes on the thread that weighs
     * every pod. A route is at most 1024 characters, as platform-api takes, and a longer one is refused at once.
     */
    @Test
    void aRouteLongerThanPlatformApiTakesIsRefusedBeforeItIsWeighed() {
        Pod longest = pod("Always").editMetadata().addToAnnotations(PodTranslation.ROUTE, "/" + "a".repeat(1023)).endMetadata().build();
        Pod tooLong = pod("Always").editMetadata().addToAnnotations(PodTranslation.ROUTE, "/a".repeat(100_000)).endMetadata().build();

        assertThat(new HeldRoutes().claim(translate(longest))).isInstanceOf(PodTranslation.Run.class);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(new HeldRoutes().claim(translate(tooLong))).isEqualTo(
                new PodTranslation.Refuse("UnsupportedPod", "a route of 200000 characters is longer than the 1024 a route may have")));
    }

    /** A reserved route of the longest length is quoted by its first characters, as a refusal quotes a pod's text. */
    @Test
    void aReservedRouteIsQuotedByItsFirstCharacters() {
        String route = "/actuator/" + "a".repeat(1014);
        Pod reserved = pod("Always").editMetadata().addToAnnotations(PodTranslation.ROUTE, route).endMetadata().build();

        assertThat(translate(reserved)).isEqualTo(new PodTranslation.Refuse("UnsupportedPod",
                "route " + route.substring(0, 64) + "… (1024 characters) is reserved for the node agent"));
    }

    /**
     * A pod's volumes (a {@code hostPath} of {@code /} among them) never become the module's: the node opens no path
     * for a pod. Its config maps and secrets are read in its own namespace only, whatever else a reference carries.
     */
    @Test
    void aPodsVolumesAreNeverTheModulesAndItsConfigIsReadInItsOwnNamespaceOnly() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        PodTranslation.Lookup lookup = new PodTranslation.Lookup() {
            @Override
            public Optional<Map<String, String>> configMap(String namespace, String name) {
                asked.add("configmap " + namespace + "/" + name);
                return Optional.of(Map.of("k", "v"));
            }

            @Override
            public Optional<Map<String, String>> secret(String namespace, String name) {
                asked.add("secret " + namespace + "/" + name);
                return Optional.of(Map.of("k", "v"));
            }
        };
        Pod pod = pod("Never").editMetadata().withNamespace("team-a").endMetadata().editSpec()
                .addNewVolume().withName("root").withNewHostPath().withPath("/").endHostPath().endVolume()
                .addNewVolume().withName("token").withNewSecret().withSecretName("db").endSecret().endVolume()
                .editFirstContainer().addNewVolumeMount().withName("root").withMountPath("/host").endVolumeMount()
                .withEnv(new EnvVarBuilder().withName("S").withNewValueFrom().withNewSecretKeyRef("k", "db", null).endValueFrom().build())
                .addNewEnvFrom().withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom().endContainer().endSpec().build();
        pod.getSpec().getContainers().getFirst().getEnv().getFirst().getValueFrom().getSecretKeyRef()
                .setAdditionalProperty("namespace", "kube-system");

        var spec = ((PodTranslation.Run) PodTranslation.translate(pod, 1, "10.1.2.3", lookup)).assignment().spec();
        assertThat(spec.volumes()).isEmpty();
        assertThat(asked).containsExactlyInAnyOrder("configmap team-a/settings", "secret team-a/db");
    }

    /** A concurrency annotation is ASCII digits: {@code Integer.parseInt} took {@code +3} and Arabic-Indic {@code ٣} as 3. */
    @Test
    void aConcurrencyThatIsNotPlainDigitsIsRefused() {
        for (String bad : List.of("+3", "\u0663", "-3", "0", "10001")) {
            Pod pod = pod("Always").editMetadata().addToAnnotations(Map.of(PodTranslation.ROUTE, "/hello", PodTranslation.CONCURRENCY, bad))
                    .endMetadata().build();
            assertThat(translate(pod)).as(bad).isInstanceOfSatisfying(PodTranslation.Refuse.class,
                    r -> assertThat(r.message()).contains("is not a number from 1 to 10000"));
        }
    }

    /**
     * The node keeps compiled modules by the digest of their content, whichever pod's pull brought them: an image that
     * is such a bare digest would be handed another namespace's private module without a pull under its own
     * imagePullSecrets. A digest under a repository is an image reference and runs.
     */
    @Test
    void anImageThatIsABareDigestIsRefusedAsTheNodesCacheIsKeyedByIt() {
        String digest = "sha256:" + "a".repeat(64);
        Pod bare = MockCluster.pod("web-1", "n1", digest, "Never").build();
        Pod pinned = MockCluster.pod("web-1", "n1", "registry.example/hello@" + digest, "Never").build();

        assertThat(translate(bare)).isInstanceOfSatisfying(PodTranslation.Refuse.class, r -> {
            assertThat(r.reason()).isEqualTo("InvalidImageName");
            assertThat(r.message()).contains("bare digest");
        });
        assertThat(translate(pinned)).isInstanceOf(PodTranslation.Run.class);
    }

    @Test
    void aPodWithADeletionTimestampIsATerminatingAssignmentNamedAfterItsController() {
        Pod pod = pod("Never").editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").addNewOwnerReference().withKind("Job")
                .withName("batch").withController(true).withApiVersion("batch/v1").withUid("u").endOwnerReference().endMetadata().build();

        var a = ((PodTranslation.Run) translate(pod)).assignment();
        assertThat(a.terminating()).isTrue();
        assertThat(a.deployment()).isEqualTo("batch");
    }

    /** A rollout's two ReplicaSets are one tenant of the node's budgets (and one argv[0]): the Deployment's. */
    @Test
    void podsOfTwoReplicaSetsOfOneDeploymentCountUnderTheDeployment() {
        var oldRevision = ((PodTranslation.Run) translate(controlledBy("ReplicaSet", "web-5d8f9c7b4", "5d8f9c7b4"))).assignment();
        var newRevision = ((PodTranslation.Run) translate(controlledBy("ReplicaSet", "web-6c4b7f8d9", "6c4b7f8d9"))).assignment();
        assertThat(oldRevision.deployment()).isEqualTo("web");
        assertThat(newRevision.deployment()).isEqualTo("web");

        // a ReplicaSet not named by a Deployment for this hash, or no hash: its own name, as a Job or StatefulSet is
        assertThat(((PodTranslation.Run) translate(controlledBy("ReplicaSet", "web-by-hand", "5d8f9c7b4"))).assignment().deployment())
                .isEqualTo("web-by-hand");
        assertThat(((PodTranslation.Run) translate(controlledBy("ReplicaSet", "web-5d8f9c7b4", null))).assignment().deployment())
                .isEqualTo("web-5d8f9c7b4");
        assertThat(((PodTranslation.Run) translate(controlledBy("ReplicaSet", "-5d8f9c7b4", "5d8f9c7b4"))).assignment().deployment())
                .isEqualTo("-5d8f9c7b4");
        assertThat(((PodTranslation.Run) translate(controlledBy("StatefulSet", "web-5d8f9c7b4", "5d8f9c7b4"))).assignment().deployment())
                .isEqualTo("web-5d8f9c7b4");
    }

    private static Pod controlledBy(String kind, String name, String hash) {
        var meta = pod("Never").editMetadata().addNewOwnerReference().withKind(kind).withName(name).withController(true)
                .withApiVersion("apps/v1").withUid("u").endOwnerReference();
        return (hash == null ? meta : meta.addToLabels(Workload.HASH, hash)).endMetadata().build();
    }

    /** Every refusal quotes a pod's own text by its first 64 characters and its length: an annotation may hold 256 KiB. */
    @Test
    void aRefusalQuotesThePodsOwnTextByItsFirstCharacters() {
        String huge = "x".repeat(256 * 1024);
        String shown = "x".repeat(64) + "… (262144 characters)";
        for (String annotation : List.of(PodTranslation.TIMEOUT, PodTranslation.CONCURRENCY)) {
            Pod pod = pod("Never").editMetadata().addToAnnotations(annotation, huge).endMetadata().build();
            assertThat(((PodTranslation.Refuse) translate(pod)).message()).contains("'" + shown + "'").hasSizeLessThan(200);
        }
        Pod route = pod("Always").editMetadata().addToAnnotations(PodTranslation.ROUTE, "/%2F" + "x".repeat(1000)).endMetadata().build();
        assertThat(((PodTranslation.Refuse) translate(route)).message()).startsWith("route /%2F" + "x".repeat(60) + "… (1004 characters): ");
        Pod digest = pod("Never").editSpec().editFirstContainer().withImage("sha256:" + huge).endContainer().endSpec().build();
        assertThat(((PodTranslation.Refuse) translate(digest)).message()).startsWith("image sha256:" + "x".repeat(57) + "… (262151 characters) is");
        Pod env = pod("Never").editSpec().editFirstContainer().withEnv(new EnvVarBuilder().withName(huge).withNewValueFrom()
                .withNewFieldRef(null, huge).endValueFrom().build()).endContainer().endSpec().build();
        assertThat(((PodTranslation.Refuse) translate(env)).message()).isEqualTo("fieldRef " + shown + " is not supported");
    }

    /** A pod without containers (which an API server refuses) is told it has none, not that sidecars are unsupported. */
    @Test
    void aPodWithoutContainersIsToldItHasNone() {
        var none = new PodTranslation.Refuse("UnsupportedPod", "a Wasm pod has exactly one container; this pod has none");
        assertThat(translate(pod("Never").editSpec().withContainers().endSpec().build())).isEqualTo(none);
        assertThat(translate(pod("Never").editSpec().withContainers((List<Container>) null).endSpec().build()))
                .isEqualTo(none);
    }
}
