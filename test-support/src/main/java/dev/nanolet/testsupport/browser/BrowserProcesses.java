package dev.nanolet.testsupport.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A browser's Chromium (its browser process, found by the profile chromedriver gave it) and the chromedriver that started
 * it, as the operating system sees them: whether either is gone or stopped (SIGSTOP, a debugger), which no command can
 * wait out. A stopped process answers nothing until it is continued, so it is no browser to keep, and this needs no
 * timeout to say so. A process that runs but answers nothing (a deadlock, a busy loop) looks alive here: only a command's
 * own timeout can tell it, and which time is too long depends on the machine.
 *
 * <p>Where {@code /proc} does not say (not Linux) or the browser process is not found, {@link #stopped} is false and
 * {@link #kill} does nothing: the browser is asked, as before.
 */
record BrowserProcesses(List<ProcessHandle> processes) {
    BrowserProcesses {
        processes = List.copyOf(processes);
    }

    /** The Chromium of {@code userDataDir} among this JVM's descendants, and its parent, chromedriver. */
    static BrowserProcesses of(String userDataDir) {
        String profile = "--user-data-dir=" + userDataDir;
        Optional<ProcessHandle> chromium = ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(profile)
                        && Stream.of(args).noneMatch(a -> a.startsWith("--type="))).orElse(false))
                .findFirst();
        return new BrowserProcesses(chromium.map(c -> Stream.concat(Stream.of(c), c.parent().stream()).toList()).orElse(List.of()));
    }

    /** Whether any of them ended, or is stopped: it will answer no command. */
    boolean stopped() {
        return processes.stream().anyMatch(p -> !p.isAlive() || stoppedNow(p.pid()));
    }

    /** Kills them (a stopped process too), so that closing the driver does not wait for an answer that cannot come. */
    void kill() {
        processes.forEach(ProcessHandle::destroyForcibly);
    }

    /** The state letter in {@code /proc/<pid>/stat}, after the command's name in parentheses: T stopped, t stopped by a tracer. */
    private static boolean stoppedNow(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
