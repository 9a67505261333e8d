package dev.nanolet.agent.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one run of a module may see and must respect. The guest sees these args, env and
 * directories, and nothing else of the host.
 *
 * @param args argv, the program name first
 * @param memoryLimitMiB cap on linear memory; growing past it fails inside the guest
 * @param timeout wall-clock limit; the run is interrupted after it
 * @param directories host directories preopened at guest paths
 * @param bindings what the {@code nanolet} host API reaches in this run ({@link Bindings#NONE} if nothing)
 * @param tenant whose runs the run's linear memory counts with in the node's memory for guests (the
 *     deployment: {@code namespace/name})
 * @param started called on the run's thread once the run's linear memory is granted, before any guest
 *     code runs (the module's start function included); not called for a run that does not start (a job
 *     waits for the node's memory, or fails, without ever being reported Running)
 */
public record Invocation(
        List<String> args,
        Map<String, String> env,
        InputStream stdin,
        OutputStream stdout,
        OutputStream stderr,
        int memoryLimitMiB,
        Duration timeout,
        List<Directory> directories,
        Bindings bindings,
        String tenant,
        Runnable started) {

    /** The tenant of runs made outside any deployment ({@code node-agent run}, tests). */
    public static final String NO_TENANT = "";

    private static final Runnable NOTHING = () -> {};

    /** A run of a tenant that nothing waits on to start. */
    public Invocation(List<String> args, Map<String, String> env, InputStream stdin, OutputStream stdout,
            OutputStream stderr, int memoryLimitMiB, Duration timeout, List<Directory> directories, Bindings bindings, String tenant) {
        this(args, env, stdin, stdout, stderr, memoryLimitMiB, timeout, directories, bindings, tenant, NOTHING);
    }

    public Invocation {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        directories = directories == null ? List.of() : List.copyOf(directories);
        bindings = bindings == null ? Bindings.NONE : bindings;
        started = started == null ? NOTHING : started;
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(tenant, "tenant");
        if (memoryLimitMiB <= 0) {
            throw new IllegalArgumentException("memoryLimitMiB must be positive: " + memoryLimitMiB);
        }
    }

    /** A run of no tenant. */
    public Invocation(List<String> args, Map<String, String> env, InputStream stdin, OutputStream stdout,
            OutputStream stderr, int memoryLimitMiB, Duration timeout, List<Directory> directories, Bindings bindings) {
        this(args, env, stdin, stdout, stderr, memoryLimitMiB, timeout, directories, bindings, NO_TENANT);
    }

    /** A run of no tenant, without bindings. */
    public Invocation(List<String> args, Map<String, String> env, InputStream stdin, OutputStream stdout,
            OutputStream stderr, int memoryLimitMiB, Duration timeout, List<Directory> directories) {
        this(args, env, stdin, stdout, stderr, memoryLimitMiB, timeout, directories, null, NO_TENANT);
    }

    /** A host directory the guest sees at {@code guestPath}, whose growth {@code quota} counts ({@link DiskQuota#NONE}: none). */
    public record Directory(Path hostPath, String guestPath, DiskQuota quota) {
        public Directory {
            quota = quota == null ? DiskQuota.NONE : quota;
        }

        /** A directory with no quota. */
        public Directory(Path hostPath, String guestPath) {
            this(hostPath, guestPath, DiskQuota.NONE);
        }
    }
}
