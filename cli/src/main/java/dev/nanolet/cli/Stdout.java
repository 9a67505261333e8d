package dev.nanolet.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The CLI's stdout under its {@link Terminal}: a write that fails ends the command, where the JVM's PrintStream kept the
 * failure to itself and the command went on, a follow reading for ever and printing nowhere, a list cut short on a full
 * disk exiting 0. A pipe or socket whose reader has gone ({@code nanolet get deployments | head -1}, once {@code head} has
 * its line) ends it as SIGPIPE ends git or kubectl there: nothing on stderr, exit 141 ({@link ReaderGone}); any other
 * failure (a full disk under {@code > file}) is an error, exit 1 with the system's reason. They are told apart by what
 * stdout is, not by the reason's text, which the C library words in the user's language: a write to a pipe or a socket fails
 * only when its reader has gone (EPIPE), and a full disk is a file's. After the first failure nothing more is written.
 */
final class Stdout extends OutputStream {
    private final OutputStream to;
    private final BooleanSupplier pipe;
    private boolean failed;

    /** Writes to {@code to}; {@code pipe} says, once a write failed, whether {@code to} is a pipe or a socket. */
    Stdout(OutputStream to, BooleanSupplier pipe) {
        this.to = to;
        this.pipe = pipe;
    }

    /** The process's stdout, file descriptor 1, in the JVM's stdout charset, flushed at each line. */
    static PrintStream system() {
        return new PrintStream(new Stdout(new FileOutputStream(FileDescriptor.out), () -> isPipe(Path.of("/dev/stdout"))),
                true, System.out.charset());
    }

    /**
     * Whether {@code device} is a pipe (FIFO) or a socket, by its mode; {@code false} where the file system cannot say (no
     * {@code /dev/stdout}, as on Windows), so a failure there is said as an error.
     */
    static boolean isPipe(Path device) {
        try {
            int type = (Integer) Files.getAttribute(device, "unix:mode") & 0170000;
            return type == 0010000 || type == 0140000;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (!failed) {
            try {
                to.write(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    @Override
    public synchronized void flush() {
        if (!failed) {
            try {
                to.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    private RuntimeException failed(IOException e) {
        failed = true;
        return pipe.getAsBoolean() ? new ReaderGone()
                : new CliException(CliException.ROLLOUT_FAILED, "could not write to stdout: " + Excerpt.line(String.valueOf(e.getMessage())));
    }

    /** Stdout's reader has gone: the command ends at once, exit 141 (128 + SIGPIPE), and says nothing. */
    static final class ReaderGone extends RuntimeException {
        ReaderGone() {
            super("stdout's reader has gone", null, false, false);
        }
    }
}
