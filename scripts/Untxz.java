import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a {@code .txz} (tar + xz) for ./nanolet on machines without the xz tool; needs only the
 * org.tukaani:xz jar that the build downloads. Handles the tar entries PostgreSQL's archive uses:
 * files, directories, symbolic links, ustar prefixes and GNU long names.
 * Run as: java -cp xz.jar scripts/Untxz.java ARCHIVE.txz DIRECTORY
 */
class Untxz {
    public static void main(String[] a) throws IOException {
        Path dir = Path.of(a[1]).toAbsolutePath().normalize();
        try (DataInputStream in = new DataInputStream(new XZInputStream(Files.newInputStream(Path.of(a[0]))))) {
            byte[] header = new byte[512];
            String longName = null;
            while (true) {
                try {
                    in.readFully(header);
                } catch (EOFException e) {
                    return;
                }
                if (header[0] == 0) {
                    return;
                }
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String name = longName != null ? longName : join(text(header, 345, 155), text(header, 0, 100));
                longName = null;
                if (type == 'L') {
                    longName = new String(read(in, size), StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                Path target = dir.resolve(name).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside " + dir + ": " + name);
                }
                int mode = (int) octal(header, 100, 8);
                switch (type) {
                    case '5' -> Files.createDirectories(target);
                    case '2' -> {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(text(header, 157, 100)));
                    }
                    case '0', '\0' -> {
                        Files.createDirectories(target.getParent());
                        try (OutputStream out = Files.newOutputStream(target)) {
                            copy(in, out, size);
                        }
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString((mode & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                        size = 0;
                    }
                    default -> { }
                }
                skip(in, size);
                skip(in, (512 - size % 512) % 512);
            }
        }
    }

    static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    static long octal(byte[] b, int off, int len) {
        String s = text(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    static byte[] read(DataInputStream in, long size) throws IOException {
        byte[] data = new byte[(int) size];
        in.readFully(data);
        skip(in, (512 - size % 512) % 512);
        return data;
    }

    static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, n);
            left -= n;
        }
        // the padding to the next 512-byte block follows
        skip(in, (512 - size % 512) % 512);
    }

    static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }
}
