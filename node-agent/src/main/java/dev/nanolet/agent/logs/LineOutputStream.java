package dev.nanolet.agent.logs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Splits bytes into UTF-8 lines; a line longer than 16 KiB is cut. The last partial line is kept on close. */
final class LineOutputStream extends OutputStream {

    private static final int MAX_LINE = 16 * 1024;
    private final Consumer<String> sink;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    LineOutputStream(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            current.write(b);
            if (current.size() >= MAX_LINE) {
                flushLine();
            }
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void close() {
        if (current.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        String line = current.toString(StandardCharsets.UTF_8);
        current.reset();
        sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
}
