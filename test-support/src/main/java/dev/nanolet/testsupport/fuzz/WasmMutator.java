package dev.nanolet.testsupport.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile WebAssembly modules for fuzz tests: mutations of real modules (bit flips,
 * interesting bytes, inserted, deleted, duplicated or truncated ranges, section sizes replaced by
 * wrong or huge LEB128 values) and modules generated from a valid header with random sections.
 * The same seed always gives the same modules, so a failure is reproduced by its seed and index.
 */
public final class WasmMutator {
    private static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    private static final int[] INTERESTING = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0x10, 0x20};
    private final List<byte[]> corpus;
    private final Random random;

    /** @param corpus real modules to mutate (at least one) */
    public WasmMutator(List<byte[]> corpus, long seed) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty");
        }
        this.corpus = List.copyOf(corpus);
        this.random = new Random(seed);
    }

    /** The next module: three in four a mutated corpus module, else a generated one. */
    public byte[] next() {
        return random.nextInt(4) == 0 ? generate() : mutate(corpus.get(random.nextInt(corpus.size())));
    }

    byte[] mutate(byte[] base) {
        byte[] b = base.clone();
        int steps = 1 + random.nextInt(4);
        for (int i = 0; i < steps && b.length > 0; i++) {
            b = switch (random.nextInt(7)) {
                case 0 -> flipBits(b);
                case 1 -> interesting(b);
                case 2 -> insert(b);
                case 3 -> delete(b);
                case 4 -> duplicate(b);
                case 5 -> Arrays.copyOf(b, random.nextInt(b.length));
                default -> resizeSection(b);
            };
        }
        return b;
    }

    private byte[] flipBits(byte[] b) {
        for (int n = 1 + random.nextInt(8); n > 0; n--) {
            int at = random.nextInt(b.length);
            b[at] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private byte[] interesting(byte[] b) {
        b[random.nextInt(b.length)] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
        return b;
    }

    private byte[] insert(byte[] b) {
        byte[] extra = new byte[1 + random.nextInt(16)];
        random.nextBytes(extra);
        return splice(b, random.nextInt(b.length + 1), 0, extra);
    }

    private byte[] delete(byte[] b) {
        int at = random.nextInt(b.length);
        return splice(b, at, Math.min(b.length - at, 1 + random.nextInt(32)), new byte[0]);
    }

    private byte[] duplicate(byte[] b) {
        int at = random.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + random.nextInt(64));
        return splice(b, random.nextInt(b.length + 1), 0, Arrays.copyOfRange(b, at, at + len));
    }

    /** Replaces the size of one section with a wrong one: a little off, zero, or huge. */
    private byte[] resizeSection(byte[] b) {
        List<int[]> sizes = sectionSizes(b);
        if (sizes.isEmpty()) {
            return flipBits(b);
        }
        int[] s = sizes.get(random.nextInt(sizes.size()));
        long value = switch (random.nextInt(4)) {
            case 0 -> Math.max(0, s[2] + random.nextInt(9) - 4);
            case 1 -> 0;
            case 2 -> 0xFFFF_FFFFL;
            default -> random.nextInt(1 << 24);
        };
        return splice(b, s[0], s[1], leb(value));
    }

    /**
     * Each section's size field as {offset, length of the LEB128, value}, as far as the bytes parse: a
     * section whose size runs past the end is the last one (its size is still listed).
     */
    static List<int[]> sectionSizes(byte[] b) {
        List<int[]> out = new ArrayList<>();
        int at = HEADER.length;
        while (at + 1 < b.length) {
            int start = at + 1;
            long value = 0;
            int shift = 0;
            int p = start;
            while (p < b.length && shift < 35) {
                value |= (long) (b[p] & 0x7f) << shift;
                shift += 7;
                if ((b[p++] & 0x80) == 0) {
                    break;
                }
            }
            if (value > Integer.MAX_VALUE) {
                break;
            }
            out.add(new int[] {start, p - start, (int) value});
            if (value > b.length - p) {
                break; // also keeps p + value from overflowing an int (a size near 2^31 once made it negative)
            }
            at = p + (int) value;
        }
        return out;
    }

    byte[] generate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HEADER);
        for (int n = random.nextInt(6); n > 0; n--) {
            byte[] content = new byte[random.nextInt(24)];
            random.nextBytes(content);
            if (content.length > 0 && random.nextBoolean()) {
                content[0] = (byte) random.nextInt(4);
            }
            out.write(random.nextInt(13));
            out.writeBytes(leb(random.nextInt(8) == 0 ? content.length + random.nextInt(5) - 2 & 0xff : content.length));
            out.writeBytes(content);
        }
        return out.toByteArray();
    }

    static byte[] leb(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = (int) (value & 0x7f);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
        return out.toByteArray();
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
