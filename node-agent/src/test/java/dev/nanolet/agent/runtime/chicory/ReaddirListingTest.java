package dev.nanolet.agent.runtime.chicory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fd_readdir reads on from one listing per open directory, as a DIR* does: a guest reading a directory a
 * few entries per call, as wasi-libc's readdir does with a small buffer, makes the node list it once, not once per
 * call (which was quadratic in the directory's size).
 */
class ReaddirListingTest {

    private static final int FILES = 2000;
    private static final int BUF = 0;
    private static final int BUF_LEN = 100;

    @TempDir
    Path root;

    private final FdTable fds = new FdTable();
    private final Memory memory = new ByteArrayMemory(new MemoryLimits(1));
    private FdCalls calls;

    @BeforeEach
    void prepare() throws IOException {
        for (int i = 0; i < FILES; i++) {
            Files.createFile(root.resolve("f%05d".formatted(i)));
        }
        calls = new FdCalls(fds, new FileTimes(Clock.systemUTC()), new Quotas());
        for (int i = 0; i < Listings.KEPT + 2; i++) {
            fds.preopen(new GuestFd.Dir(root, List.of(), "/d" + i, Rights.DIRECTORY, Rights.DIRECTORY | Rights.FILE));
        }
    }

    @Test
    void readingADirectoryAFewEntriesAtATimeListsItOnce() throws Exception {
        List<String> names = readAll(3);

        assertThat(names).hasSize(FILES + 2).startsWith(".", "..", "f00000").endsWith("f01999").isSorted();
        assertThat(fds.listings().taken()).isEqualTo(1);
        assertThat(fds.listings().held()).as("read to its end").isZero();
    }

    /** A listing is a snapshot until cookie 0 takes another, and goes with its descriptor. */
    @Test
    void aListingIsTheDirectoryAsItsFirstCallSawItUntilCookieZero() throws Exception {
        long cookie = readSome(3, 0, 10);
        Files.createFile(root.resolve("a-new"));

        List<String> rest = new ArrayList<>();
        readSome(3, cookie, 10, rest);
        assertThat(rest).doesNotContain("a-new").first().isEqualTo("f00008");

        List<String> again = new ArrayList<>();
        readSome(3, 0, 3, again);
        assertThat(again).containsExactly(".", "..", "a-new");

        calls.close(3);
        assertThat(fds.listings().held()).isZero();
    }

    /** A run holds at most KEPT listings; one dropped is taken again and read on from its cookie. */
    @Test
    void aRunHoldsAFewListingsAndOneDroppedGoesOnFromItsCookie() throws Exception {
        long[] cookies = new long[Listings.KEPT + 2];
        for (int fd = 3; fd < 3 + cookies.length; fd++) {
            cookies[fd - 3] = readSome(fd, 0, 5);
        }
        assertThat(fds.listings().held()).isEqualTo(Listings.KEPT);

        List<String> rest = new ArrayList<>();
        readSome(3, cookies[0], 1, rest);
        assertThat(rest).containsExactly("f00003");
        assertThat(fds.listings().taken()).isEqualTo(cookies.length + 1);
    }

    /**
     * The listings a run holds take at most a bound of heap together besides its largest, whatever that one's size
     * (which one call held while it listed before): four descriptors of one large directory held four copies of it
     * for the whole run, and many runs at once could hold gigabytes.
     */
    @Test
    void aRunsListingsHoldABoundOfHeapBesidesTheLargest() throws Exception {
        var listings = new Listings(100_000);
        listings.of(3, root, 0);
        long one = listings.bytes();
        assertThat(one).isBetween(100_000L, 200_000L);

        listings.of(4, root, 0);
        assertThat(listings.held()).isEqualTo(1);
        assertThat(listings.bytes()).isEqualTo(one);
        listings.of(4, root, 7);
        assertThat(listings.taken()).as("the one read last is kept").isEqualTo(2);
        listings.of(3, root, 7);
        assertThat(listings.taken()).as("the one dropped is listed again").isEqualTo(3);

        var small = new Listings(1_000);
        small.of(3, root, 0);
        small.of(3, root, 7);
        assertThat(small.taken()).as("one alone past the bound is still read on from").isEqualTo(1);
    }

    /** A walk down a large directory's subdirectories keeps its listing: the small ones go first, not the large one. */
    @Test
    void aLargeListingStaysWhileSmallOnesAreTakenBesideIt() throws Exception {
        Path sub = Files.createDirectory(root.resolve("sub"));
        Files.createFile(sub.resolve("a"));
        var listings = new Listings(1_000);
        listings.of(3, root, 0);

        for (int fd = 4; fd < 4 + Listings.KEPT + 2; fd++) {
            listings.of(fd, sub, 0);
            listings.of(3, root, 7);
        }
        assertThat(listings.taken()).as("the large one listed once").isEqualTo(Listings.KEPT + 3);
        assertThat(listings.held()).isLessThanOrEqualTo(Listings.KEPT);
    }

    private List<String> readAll(int fd) throws Exception {
        List<String> names = new ArrayList<>();
        long cookie = 0;
        while (true) {
            int before = names.size();
            cookie = readSome(fd, cookie, Integer.MAX_VALUE, names);
            if (names.size() == before) {
                return names;
            }
        }
    }

    private long readSome(int fd, long cookie, int entries) throws Exception {
        return readSome(fd, cookie, entries, new ArrayList<>());
    }

    /** One or more fd_readdir calls of BUF_LEN bytes, as wasi-libc makes them; returns the cookie to go on from. */
    private long readSome(int fd, long cookie, int entries, List<String> names) throws Exception {
        int wanted = names.size() + entries;
        while (names.size() < wanted) {
            int used = calls.readdir(memory, fd, BUF, BUF_LEN, cookie);
            int before = names.size();
            for (int at = 0; at + 24 <= used && names.size() < wanted; ) {
                int len = memory.readInt(BUF + at + 16);
                if (at + 24 + len > used) {
                    break;
                }
                names.add(new String(memory.readBytes(BUF + at + 24, len), UTF_8));
                cookie = memory.readLong(BUF + at);
                at += 24 + len;
            }
            if (names.size() == before) {
                break;
            }
            if (used < BUF_LEN) {
                break;
            }
        }
        return cookie;
    }
}
