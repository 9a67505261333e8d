package dev.nanolet.testsupport.fuzz;

/**
 * How big a fuzz run is and where it starts: {@code -Dnanolet.fuzz.seed=N} replays a run,
 * {@code -Dnanolet.fuzz.scale=K} multiplies every test's case count (the {@code fuzz-nightly}
 * Maven profile sets 25). Each test prints its seed, and every failure message names it.
 */
public record FuzzSettings(long seed, int scale) {

    public static FuzzSettings fromSystemProperties() {
        String seed = System.getProperty("nanolet.fuzz.seed", "");
        return new FuzzSettings(seed.isBlank() ? System.nanoTime() : Long.parseLong(seed.trim()),
                Integer.parseInt(System.getProperty("nanolet.fuzz.scale", "1").trim()));
    }

    /** {@code base} cases times the scale. */
    public int cases(int base) {
        return base * scale;
    }

    /** How to replay this run, for failure messages. */
    public String replay() {
        return "-Dnanolet.fuzz.seed=" + seed + " -Dnanolet.fuzz.scale=" + scale;
    }
}
