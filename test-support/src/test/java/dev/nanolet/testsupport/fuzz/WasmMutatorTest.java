package dev.nanolet.testsupport.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mutator itself must never throw: an exception from {@link WasmMutator#next()} is not the
 * engine's and fails a fuzz test outside the contract it checks (ChicoryFuzzTest failed once with
 * an ArrayIndexOutOfBoundsException from here, seed 27746769392040, case 933, with the examples of
 * that day as the corpus).
 */
class WasmMutatorTest {

    /** A bit flip can make a section size near 2^31; its end then overflowed an int and the next read went below 0. */
    @Test
    void aSectionSizeNearTheLargestIntEndsTheListInsteadOfOverflowing() {
        var module = new ByteArrayOutputStream();
        module.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
        module.write(0x01); // type section
        module.writeBytes(WasmMutator.leb(Integer.MAX_VALUE));
        module.writeBytes(new byte[] {0x01, 0x60, 0x00, 0x00});

        List<int[]> sizes = WasmMutator.sectionSizes(module.toByteArray());

        assertThat(sizes).hasSize(1);
        assertThat(sizes.getFirst()).containsExactly(9, 5, Integer.MAX_VALUE);
    }

    @Test
    void sectionSizesAreFoundInOrderAndStopAtTheFirstThatRunsPastTheEnd() {
        byte[] module = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x7f, 0x00};

        assertThat(WasmMutator.sectionSizes(module)).containsExactly(new int[] {9, 1, 4}, new int[] {15, 1, 127});
    }

    /** Many modules of a few seeds, each of the real corpus: none throws, and the same seed gives the same modules. */
    @Test
    void nextNeverThrowsAndASeedReplays() {
        List<byte[]> corpus = FuzzCorpus.examples(Path.of("..", "examples").toAbsolutePath().normalize());
        for (long seed : new long[] {1, 27746769392040L, 3042589867603L}) {
            WasmMutator one = new WasmMutator(corpus, seed);
            WasmMutator again = new WasmMutator(corpus, seed);
            for (int i = 0; i < 3_000; i++) {
                assertThat(one.next()).as("seed %d case %d", seed, i).isEqualTo(again.next());
            }
        }
    }
}
