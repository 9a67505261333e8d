package dev.nanolet.testsupport.fuzz;

import java.lang.management.ManagementFactory;

/** What a fuzz run must give back: the JVM's live threads and, after a GC, its used heap. */
public final class Leaks {
    private Leaks() {}

    public static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    public static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
