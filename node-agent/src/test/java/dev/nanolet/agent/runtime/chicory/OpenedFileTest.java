package dev.nanolet.agent.runtime.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key a run's open file is held by in its disk quota is that of the file it opened. */
class OpenedFileTest {

    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ);

    @TempDir
    Path dir;

    /**
     * Another request of the replica renames a file over the path right after the open: the key read by path then
     * was the other file's, so the quota looked for the wrong file and, once the opened one was unlinked, never
     * counted it. The open is tried again and answers the file it opened with its own key.
     */
    @Test
    void aFileRenamedOverThePathRightAfterTheOpenIsNotTheOneItsKeyNames() throws Exception {
        Path path = Files.writeString(dir.resolve("f"), "opened first");
        Path other = Files.writeString(dir.resolve("g"), "renamed over it");
        var renames = new AtomicInteger();

        OpenedFile opened = OpenedFile.open(path, READ, true, () -> {
            if (renames.getAndIncrement() == 0) {
                Files.move(other, path, StandardCopyOption.REPLACE_EXISTING);
            }
        });

        try (var channel = opened.channel()) {
            assertThat(opened.key()).isEqualTo(Files.readAttributes(path, BasicFileAttributes.class).fileKey());
            assertThat(read(opened)).as("the file the key names").isEqualTo("renamed over it");
        }
    }

    /**
     * An open that truncates (O_TRUNC) and is tried again truncated both files: the one it opened first, which another
     * request had just renamed another file over, and the one it opened again. No order of the two requests does
     * that; the open truncates only the file it answers, once its key is sure.
     */
    @Test
    void anOpenTriedAgainTruncatesOnlyTheFileItAnswers() throws Exception {
        Path path = Files.writeString(dir.resolve("f"), "opened first");
        Path firstsOtherName = Files.createLink(dir.resolve("f-too"), path);
        Path other = Files.writeString(dir.resolve("g"), "renamed over it");
        var renames = new AtomicInteger();

        OpenedFile opened = OpenedFile.open(path, Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), true, () -> {
            if (renames.getAndIncrement() == 0) {
                Files.move(other, path, StandardCopyOption.REPLACE_EXISTING);
            }
        });

        try (var channel = opened.channel()) {
            assertThat(opened.key()).isEqualTo(Files.readAttributes(path, BasicFileAttributes.class).fileKey());
            assertThat(channel.size()).as("the file it answers").isZero();
            assertThat(Files.readString(firstsOtherName)).as("the file it let go").isEqualTo("opened first");
        }
    }

    /** A path whose file changes around every open is refused with EAGAIN rather than keyed to a file it did not open. */
    @Test
    void aPathThatChangesAroundEveryOpenIsEagain() throws Exception {
        Path path = Files.writeString(dir.resolve("f"), "0");
        var renames = new AtomicInteger();

        assertThatThrownBy(() -> OpenedFile.open(path, READ, true, () -> {
            Path next = Files.writeString(dir.resolve("next"), String.valueOf(renames.incrementAndGet()));
            Files.move(next, path, StandardCopyOption.REPLACE_EXISTING);
        })).isInstanceOfSatisfying(Errno.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.AGAIN));
        assertThat(renames).hasValue(OpenedFile.TRIES);
    }

    /**
     * A directory with no quota holds no file by its key (the command line's --dir without --dir-max-bytes), so its
     * opens read none: reading it there only turned another process renaming files over a path (an editor saving one,
     * in the operator's own directory) into EAGAIN for an open that needs no key. The file opened is answered as is.
     */
    @Test
    void anOpenThatNothingHoldsByItsKeyIsNotTriedAgain() throws Exception {
        Path path = Files.writeString(dir.resolve("f"), "0");
        var renames = new AtomicInteger();

        OpenedFile opened = OpenedFile.open(path, READ, false, () -> {
            Path next = Files.writeString(dir.resolve("next"), String.valueOf(renames.incrementAndGet()));
            Files.move(next, path, StandardCopyOption.REPLACE_EXISTING);
        });

        try (var channel = opened.channel()) {
            assertThat(read(opened)).isEqualTo("0");
            assertThat(opened.key()).isNull();
            assertThat(renames).hasValue(1);
        }
    }

    private static String read(OpenedFile opened) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(64);
        opened.channel().read(buf, 0);
        return new String(buf.array(), 0, buf.position());
    }
}
