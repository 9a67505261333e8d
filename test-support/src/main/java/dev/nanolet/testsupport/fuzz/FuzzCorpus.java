package dev.nanolet.testsupport.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real modules the fuzz tests mutate: every committed {@code examples/*.wasm} and {@code examples/fixtures/*.wasm}. */
public final class FuzzCorpus {
    private FuzzCorpus() {}

    /**
     * @param examples the repository's {@code examples} directory
     * @return the modules, in name order, without {@code huge-function.wasm} (too large for the compiler: slow by design)
     */
    public static List<byte[]> examples(Path examples) {
        try (Stream<Path> top = Files.list(examples); Stream<Path> fixtures = Files.list(examples.resolve("fixtures"))) {
            return Stream.concat(top, fixtures).filter(p -> p.toString().endsWith(".wasm") && !p.toString().contains("huge-function"))
                    .sorted().map(FuzzCorpus::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
