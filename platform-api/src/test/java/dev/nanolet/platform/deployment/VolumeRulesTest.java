package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.JobSpec;
import dev.nanolet.wire.DeploymentSpec.Volume;
import dev.nanolet.wire.Problem.FieldError;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code spec.volumes} through the whole spec validation: a tenant names a volume and a guest path, never a host path. */
class VolumeRulesTest {

    private static List<String> fields(Volume... volumes) {
        var spec = new DeploymentSpec(SpecValidatorTest.MODULE, null, new JobSpec(null), 1, null, null, null, null, null,
                null, List.of(volumes));
        return SpecValidator.validate("a", "b", spec, SpecValidatorTest.MODULE::equals, 1000).stream().map(FieldError::field).toList();
    }

    @Test
    void plainNamesAndAbsoluteGuestPathsAreAccepted() {
        assertThat(fields(new Volume("data", "/data"), new Volume("cache-2", "/var/cache/app.d"), new Volume("root", "/")))
                .isEmpty();
        assertThat(fields()).isEmpty();
    }

    @Test
    void namesAreDnsLabelsSoTheyCanNeverBeAHostPath() {
        for (String bad : new String[] {"..", ".", "a/b", "../../etc", "Data", "", "-x", "a".repeat(64), "x\u0000"}) {
            assertThat(fields(new Volume(bad, "/data"))).as(bad).containsExactly("volumes[0].name");
        }
        assertThat(fields(new Volume(null, "/data"))).containsExactly("volumes[0].name");
    }

    @Test
    void mountPathsAreAbsolutePlainGuestPaths() {
        for (String bad : new String[] {"data", "", "/data/", "//data", "/a/../b", "/..", "/.", "/a/./b", "/a b", "/a\\b",
                "/a\u0000", "/é", "/" + "a".repeat(255)}) {
            assertThat(fields(new Volume("v", bad))).as(bad).containsExactly("volumes[0].mountPath");
        }
        assertThat(fields(new Volume("v", null))).containsExactly("volumes[0].mountPath");
        assertThat(fields(new Volume("v", "/..a/b..c/.d"))).isEmpty();
    }

    @Test
    void namesAndMountPathsAreUnique() {
        assertThat(fields(new Volume("a", "/x"), new Volume("a", "/y"), new Volume("b", "/x")))
                .containsExactly("volumes[1].name", "volumes[2].mountPath");
    }

    @Test
    void theCountIsBounded() {
        Volume[] many = IntStream.range(0, VolumeRules.MAX_VOLUMES + 1).mapToObj(i -> new Volume("v" + i, "/v" + i))
                .toArray(Volume[]::new);
        assertThat(fields(many)).containsExactly("volumes");
        assertThat(fields(Arrays.copyOf(many, VolumeRules.MAX_VOLUMES))).isEmpty();
    }
}
