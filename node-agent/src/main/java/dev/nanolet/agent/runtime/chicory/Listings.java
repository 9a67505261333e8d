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
 * {@value #KEPT} listings (the least recently read goes first; reading it again lists it again and goes on from
 * the cookie), each as large as its directory, which the disk quota bounds; a listing goes with its descriptor
 * and once it has been read to its end.
 */
final class Listings {

    static final int KEPT = 4;

    private final Map<Integer, List<String>> byFd = new LinkedHashMap<>(KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, List<String>> eldest) {
            return size() > KEPT;
        }
    };
    private long taken;

    /** ".", "..", then the directory's names in sorted order; the listing held for {@code fd} unless {@code cookie} is 0. */
    List<String> of(int fd, Path dir, long cookie) throws IOException {
        List<String> names = cookie == 0 ? null : byFd.get(fd);
        if (names == null) {
            names = new ArrayList<>(List.of(".", ".."));
            try (Stream<Path> list = Files.list(dir)) {
                list.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
            }
            taken++;
            byFd.put(fd, names);
        }
        return names;
    }

    void forget(int fd) {
        byFd.remove(fd);
    }

    void clear() {
        byFd.clear();
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
