package dev.nanolet.agent.runtime.chicory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The names {@code fd_readdir} hands out, one listing per open directory descriptor, as a {@code DIR*} holds
 * one: taken at the first call or at cookie 0, and read on from by later calls, so that a guest reading a
 * directory of n entries a few at a time makes the node list it once, not n times. A run keeps at most
 * {@value #KEPT} listings, and of their names at most {@value #BYTES} bytes' worth besides its largest listing,
 * whatever that one's size (as large as its directory, which the disk quota bounds: what one call held while it
 * listed before): the least recently read goes first, and reading it again lists it again and goes on from the cookie.
 * A listing goes with its descriptor and once it has been read to its end.
 */
final class Listings {

    static final int KEPT = 4;
    /** The heap the listings of one run may hold together besides the largest. */
    static final long BYTES = 1 << 20;

    private final long maxBytes;
    /** By descriptor, the least recently read first. */
    private final Map<Integer, Listing> byFd = new LinkedHashMap<>(KEPT * 2, 0.75f, true);
    private long bytes;
    private long taken;

    private record Listing(List<String> names, long bytes) {}

    Listings() {
        this(BYTES);
    }

    Listings(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** ".", "..", then the directory's names in sorted order; the listing held for {@code fd} unless {@code cookie} is 0. */
    List<String> of(int fd, Path dir, long cookie) throws IOException {
        Listing held = cookie == 0 ? null : byFd.get(fd);
        if (held != null) {
            return held.names();
        }
        List<String> names = new ArrayList<>(List.of(".", ".."));
        try (Stream<Path> list = Files.list(dir)) {
            list.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
        }
        taken++;
        keep(fd, new Listing(names, names.stream().mapToLong(Listings::heap).sum()));
        return names;
    }

    /**
     * Holds {@code listing} for {@code fd}, then drops the least recently read others, but never the largest, while
     * more than {@value #KEPT} are held or those besides the largest hold more than the bytes: a listing taken again
     * costs as much as it is large, so a large one is the last to go (a walk down a large directory's subdirectories
     * lists it once, not once per subdirectory).
     */
    private void keep(int fd, Listing listing) {
        forget(fd);
        byFd.put(fd, listing);
        bytes += listing.bytes();
        Listing largest = listing;
        for (Listing l : byFd.values()) {
            largest = l.bytes() > largest.bytes() ? l : largest;
        }
        var eldest = byFd.values().iterator();
        while (byFd.size() > KEPT || bytes - largest.bytes() > maxBytes) {
            Listing l = eldest.next();
            if (l != largest) {
                bytes -= l.bytes();
                eldest.remove();
            }
        }
    }

    /** About what a name costs the heap: a String of its chars and its slot in the list. */
    private static long heap(String name) {
        return 56 + 2L * name.length();
    }

    void forget(int fd) {
        Listing gone = byFd.remove(fd);
        if (gone != null) {
            bytes -= gone.bytes();
        }
    }

    void clear() {
        byFd.clear();
        bytes = 0;
    }

    /** About how many bytes of heap the listings held now take. */
    long bytes() {
        return bytes;
    }

    /** How many listings are held now. */
    int held() {
        return byFd.size();
    }

    /** How many listings were taken since the run began. */
    long taken() {
        return taken;
    }
}
