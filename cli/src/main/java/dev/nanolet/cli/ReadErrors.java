package dev.nanolet.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a file named on the command line could not be read, in words: the JDK's message of a missing file is only
 * its path, so {@code nanolet diff -f app.yaml} without the file said "cannot read app.yaml: app.yaml".
 */
final class ReadErrors {
    private ReadErrors() {}

    static CliException cannotRead(Path file, IOException e) {
        return new CliException(CliException.USAGE, "cannot read " + file + ": " + reason(file, e));
    }

    static String reason(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return file.isAbsolute() ? "no such file" : "no such file (relative paths are read from " + Path.of("").toAbsolutePath() + ")";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (java.nio.file.Files.isDirectory(file)) {
            return "it is a directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
