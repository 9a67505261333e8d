package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadErrorsTest {
    @TempDir
    Path dir;

    /** Where relative paths are read from helps only a relative path: an absolute one said it too. */
    @Test
    void aMissingFileNamesTheWorkingDirectoryOnlyForARelativePath() {
        Path absolute = dir.resolve("app.yaml");
        Path relative = Path.of("no-such-dir", "app.yaml");

        assertThat(ReadErrors.cannotRead(absolute, new NoSuchFileException(absolute.toString())))
                .hasMessage("cannot read " + absolute + ": no such file");
        assertThat(ReadErrors.cannotRead(relative, new NoSuchFileException(relative.toString())))
                .hasMessage("cannot read " + relative + ": no such file (relative paths are read from " + Path.of("").toAbsolutePath() + ")");
    }
}
