package dev.nanolet.agent.replica;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one guest thread in the background for good: on Linux, nice 19 ({@code setpriority}) and the
 * {@code SCHED_IDLE} policy ({@code sched_setscheduler}), so that any ordinary thread that wakes up
 * preempts it and the kernel places waking threads on a CPU that runs only such threads as if it were
 * idle. An unprivileged process may lower its threads' priority but not raise it again, so the
 * {@link GuestPool} retires a thread it put in the background. Elsewhere, or when the first call
 * fails (a seccomp profile, a missing C library), this is a no-op that says so once in the log.
 */
final class ThreadPriority {

    private static final Logger log = LoggerFactory.getLogger(ThreadPriority.class);
    private static final int PRIO_PROCESS = 0;
    private static final int SCHED_IDLE = 5;
    /** The lowest priority nice allows. */
    static final int BACKGROUND_NICE = 19;

    /** Does nothing: demotion off. */
    static final ThreadPriority NONE = new ThreadPriority(null);

    private final LibC libc;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean idleRefused = new AtomicBoolean();

    private ThreadPriority(LibC libc) {
        this.libc = libc;
    }

    /** The C library's calls on Linux, else {@link #NONE}. */
    static ThreadPriority load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            log.info("guest threads are not put in the background on {}: Linux only", System.getProperty("os.name"));
            return NONE;
        }
        try {
            return new ThreadPriority(Native.load("c", LibC.class));
        } catch (LinkageError e) {
            log.warn("guest threads are not put in the background: the C library cannot be called ({})", e.getMessage());
            return NONE;
        }
    }

    /**
     * As {@link #load()}, with JNA's native library unpacked into {@code nativeDirectory} (inside the
     * node's own data directory) rather than a shared temporary directory, unless {@code jna.tmpdir} is set.
     */
    static ThreadPriority load(Path nativeDirectory) {
        if (System.getProperty("jna.tmpdir") == null) {
            System.setProperty("jna.tmpdir", nativeDirectory.toAbsolutePath().toString());
        }
        return load();
    }

    /** Whether {@link #lower} can work; false after a call failed. */
    boolean available() {
        return libc != null && !failed.get();
    }

    /** The calling thread's kernel thread id, from {@code /proc/thread-self}; -1 if unknown. */
    static long currentNativeId() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Lowers the thread {@code nativeId} of this process to the background.
     *
     * @return whether it now runs at nice 19 (and, unless refused, {@code SCHED_IDLE})
     */
    boolean lower(long nativeId) {
        if (!available() || nativeId <= 0) {
            return false;
        }
        if (libc.setpriority(PRIO_PROCESS, (int) nativeId, BACKGROUND_NICE) != 0) {
            if (failed.compareAndSet(false, true)) {
                log.warn("guest threads are not put in the background: setpriority failed (errno {})", Native.getLastError());
            }
            return false;
        }
        if (libc.sched_setscheduler((int) nativeId, SCHED_IDLE, new int[] {0}) != 0 && idleRefused.compareAndSet(false, true)) {
            log.info("SCHED_IDLE refused (errno {}): guest threads in the background run at nice 19 only", Native.getLastError());
        }
        return true;
    }

    /** The two calls of the C library used here. */
    interface LibC extends Library {
        int setpriority(int which, int who, int prio);

        int sched_setscheduler(int pid, int policy, int[] param);
    }
}
