package dev.nanolet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmarks read from a running JVM with {@code jcmd} and from {@code /proc}. */
final class Jcmd {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private Jcmd() {}

    /** Heap in use now, from {@code GC.heap_info} (the first "used" figure: the whole heap); -1 if unknown. */
    static long heapUsedMiB(long pid) {
        Matcher m = USED.matcher(run(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    /**
     * The class histogram of the live objects ({@code GC.class_histogram}, which runs a full collection
     * first), the header and the first {@code lines} classes by bytes.
     */
    static String liveHistogram(long pid, int lines) {
        String[] all = run(pid, "GC.class_histogram").split("\n");
        StringBuilder out = new StringBuilder();
        int head = Math.min(all.length, lines + 3);
        for (int i = 0; i < head; i++) {
            out.append(all[i]).append('\n');
        }
        if (all.length > head) {
            out.append(all[all.length - 1]).append('\n'); // the Total line
        }
        return out.toString();
    }

    /** Heap in use after a full collection (the histogram's), in MiB. */
    static long heapAfterGcMiB(long pid) {
        run(pid, "GC.run");
        return heapUsedMiB(pid);
    }

    /** A figure of {@code /proc/<pid>/status}, e.g. {@code VmRSS} (kB) or {@code Threads}; -1 if unknown. */
    static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String run(long pid, String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
