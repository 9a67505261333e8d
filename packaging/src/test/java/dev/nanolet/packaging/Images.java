package dev.nanolet.packaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** How the Docker tests build Nanolet's images: from the jars this build packaged, on local bases when there are some. */
final class Images {
    static final String VERSION = System.getProperty("nanolet.version", "0.1.0-SNAPSHOT");
    /** The revision label the images get: $NANOLET_REVISION (scripts/test.sh passes the git commit), else "dev". */
    static final String REVISION = System.getenv().getOrDefault("NANOLET_REVISION", "dev");
    private static boolean built;

    private Images() {}

    /**
     * The compose variables for the image build: {@code NANOLET_JARS=prebuilt}, the version and
     * revision labels, and each base image
     * from the environment when given, else the local one scripts/base-images.sh makes when it
     * exists, else .env's public one.
     */
    static Map<String, String> buildEnv() {
        Map<String, String> env = new HashMap<>(Map.of(
                "NANOLET_JARS", "prebuilt", "NANOLET_VERSION", VERSION, "NANOLET_REVISION", REVISION));
        base(env, "NANOLET_BASE_IMAGE", "nanolet/jre:21");
        base(env, "NANOLET_BUILDER_IMAGE", "nanolet/jre:21");
        base(env, "NANOLET_POSTGRES_IMAGE", "nanolet/postgres:17");
        return env;
    }

    /**
     * Builds every image of docker-compose.yml from this build's jars, once per test JVM. Each service's
     * build sends the whole context (the jars: some 300 MB) to the daemon even when every layer then
     * comes from the cache: ImageRegistryIT's build of the images ComposeDemoIT had just built sent
     * it all again, for 50 s at a load of 20.
     */
    static synchronized void build() {
        if (!built) {
            Docker.run(buildEnv(), Duration.ofMinutes(15), Docker.with(Docker.compose(), "build"));
            built = true;
        }
    }

    static boolean exists(String image) {
        try {
            Docker.run(Map.of(), Duration.ofSeconds(30), "docker", "image", "inspect", image);
            return true;
        } catch (IllegalStateException missing) {
            return false;
        }
    }

    private static void base(Map<String, String> env, String variable, String local) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            env.put(variable, given);
        } else if (exists(local)) {
            env.put(variable, local);
        }
    }
}
