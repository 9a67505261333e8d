package dev.nanolet.agent.cli;

import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.Invocation.Directory;
import dev.nanolet.wire.DeploymentSpec.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * The arguments of {@code run}: {@code [--env K=V]… [--dir HOST::GUEST]… [--dir-max-bytes SIZE] [--memory-mib N]
 * [--timeout-ms N] module.wasm [args…]}. Limits default to a deployment's defaults, so a module
 * runs here exactly as it would as a job. The guest's argv is the module's file name, then args.
 * {@code --dir-max-bytes} is a disk quota the directories share, as a replica's volumes share
 * {@code NANOLET_VOLUMES_MAX_BYTES}, counted from what the run adds (they are the operator's own and
 * are not measured); none by default, and given without {@code --dir} it is refused as bad usage (it would limit nothing).
 */
record RunOptions(Path module, List<String> args, Map<String, String> env, List<Directory> directories,
        int memoryMiB, Duration timeout) {

    static final String USAGE = "usage: node-agent run [--env K=V]... [--dir HOST::GUEST]... [--dir-max-bytes SIZE] "
            + "[--memory-mib N] [--timeout-ms N] module.wasm [args...]";

    RunOptions {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        directories = List.copyOf(directories);
    }

    /** Thrown for arguments that do not fit {@link #USAGE}; the message says which. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static RunOptions parse(List<String> arguments) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String[]> directories = new ArrayList<>();
        DiskQuota quota = DiskQuota.NONE;
        int memoryMiB = Limits.DEFAULT.memoryMiB();
        long timeoutMs = Limits.DEFAULT.timeoutMs();
        int i = 0;
        while (i < arguments.size() && arguments.get(i).startsWith("--")) {
            String option = arguments.get(i);
            if (option.equals("--")) {
                i++;
                break;
            }
            if (i + 1 >= arguments.size()) {
                throw new UsageException(option + " needs a value");
            }
            String value = arguments.get(i + 1);
            switch (option) {
                case "--env" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--env wants K=V, got: " + value);
                    }
                    env.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--dir" -> {
                    int sep = value.indexOf("::");
                    if (sep <= 0 || sep + 2 >= value.length()) {
                        throw new UsageException("--dir wants HOST::GUEST, got: " + value);
                    }
                    directories.add(new String[] {value.substring(0, sep), value.substring(sep + 2)});
                }
                case "--dir-max-bytes" -> quota = new DiskQuota(size(option, value));
                case "--memory-mib" -> memoryMiB = (int) positive(option, value);
                case "--timeout-ms" -> timeoutMs = positive(option, value);
                default -> throw new UsageException("unknown option " + option);
            }
            i += 2;
        }
        if (quota != DiskQuota.NONE && directories.isEmpty()) {
            throw new UsageException("--dir-max-bytes is a quota of the --dir directories, and none is given");
        }
        if (i >= arguments.size()) {
            throw new UsageException("no module given");
        }
        Path module = Path.of(arguments.get(i));
        List<String> argv = new ArrayList<>();
        argv.add(module.getFileName().toString());
        argv.addAll(arguments.subList(i + 1, arguments.size()));
        DiskQuota shared = quota;
        List<Directory> dirs = directories.stream().map(d -> new Directory(Path.of(d[0]), d[1], shared)).toList();
        return new RunOptions(module, argv, env, dirs, memoryMiB, Duration.ofMillis(timeoutMs));
    }

    /** A size as NANOLET_VOLUMES_MAX_BYTES takes one (1GB, 64MB, 512KB, or bytes), positive. */
    private static long size(String option, String value) {
        try {
            long bytes = DataSize.parse(value).toBytes();
            if (bytes > 0) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException(option + " wants a positive size such as 64MB, got: " + value);
    }

    private static long positive(String option, String value) {
        try {
            long number = Long.parseLong(value);
            if (number > 0 && number <= Integer.MAX_VALUE) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " wants a positive number, got: " + value);
    }
}
