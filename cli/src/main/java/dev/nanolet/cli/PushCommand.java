package dev.nanolet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Uploads a .wasm module; prints its digest. */
@Command(name = "push", description = "Upload a WebAssembly module; prints its sha256: digest.")
final class PushCommand implements Callable<Integer> {
    @Mixin
    Global global;

    @Parameters(paramLabel = "MODULE.wasm")
    Path file;

    @Override
    public Integer call() {
        String digest = push(global.api(), file);
        if (global.output == Output.Format.table) {
            System.out.println(digest);
        } else {
            global.out().print(Api.JSON.createObjectNode().put("digest", digest), Output.columns());
        }
        return 0;
    }

    /** Uploads {@code file} (progress on stderr) and answers its digest. */
    static String push(Api api, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw ReadErrors.cannotRead(file, e);
        }
        Output.progress("uploading " + file + " (" + bytes.length + " bytes)");
        String name = file.getFileName().toString().replaceFirst("\\.wasm$", "").replaceAll("[^A-Za-z0-9._-]", "-");
        String digest = api.upload("/api/v1/modules?name=" + Api.segment(name), bytes, "application/wasm").path("digest").asString();
        Output.progress("stored " + digest);
        return digest;
    }
}
