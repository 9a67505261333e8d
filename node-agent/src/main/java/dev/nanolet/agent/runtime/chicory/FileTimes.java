package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** {@code *_filestat_set_times}: explicit times, or "now" from the run's injected clock. */
record FileTimes(Clock clock) {

    private static final int ATIM = 1;
    private static final int ATIM_NOW = 1 << 1;
    private static final int MTIM = 1 << 2;
    private static final int MTIM_NOW = 1 << 3;

    void set(Path path, long atim, long mtim, int flags, boolean follow) throws Errno.Failure, IOException {
        if ((flags & (ATIM | ATIM_NOW)) == (ATIM | ATIM_NOW) || (flags & (MTIM | MTIM_NOW)) == (MTIM | MTIM_NOW)
                || (flags & ~0xf) != 0) {
            throw new Errno.Failure(Errno.INVAL);
        }
        LinkOption[] options = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        Files.getFileAttributeView(path, BasicFileAttributeView.class, options)
                .setTimes(time(mtim, flags, MTIM, MTIM_NOW), time(atim, flags, ATIM, ATIM_NOW), null);
    }

    private FileTime time(long nanos, int flags, int set, int now) {
        if ((flags & set) != 0) {
            return FileTime.from(nanos, TimeUnit.NANOSECONDS);
        }
        return (flags & now) != 0 ? FileTime.from(clock.instant()) : null;
    }
}
