package dev.nanolet.agent.replica;

import dev.nanolet.wire.ModuleDigest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.runtime.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleStoreTest {

    private static final UUID REPLICA = UUID.randomUUID();

    @TempDir
    Path cache;

    final FakeRuntime runtime = new FakeRuntime();
    final AtomicInteger fetches = new AtomicInteger();
    final byte[] bytes = "ok".getBytes(StandardCharsets.UTF_8);
    final String digest = ModuleDigest.of(bytes);

    ModuleStore store(byte[] served) {
        NodeProperties node = new NodeProperties("n", Map.of(), 1, 1, 8181, null, cache);
        return new ModuleStore((r, d) -> {
            fetches.incrementAndGet();
            return served;
        }, runtime, node);
    }

    @Test
    void fetchesVerifiesCachesOnDiskAndCompilesOncePerDigest() throws Exception {
        runtime.behaviours.put("ok", inv -> RunResult.exited(0));
        ModuleStore store = store(bytes);
        assertThat(store.load(REPLICA, digest)).isSameAs(store.load(REPLICA, digest));
        assertThat(runtime.compilations).hasValue(1);
        assertThat(Files.readAllBytes(cache.resolve("modules").resolve(digest.substring(7) + ".wasm"))).isEqualTo(bytes);

        store(bytes).load(REPLICA, digest);
        assertThat(fetches).as("a restarted agent reads the disk cache").hasValue(1);
    }

    @Test
    void knowsWhetherALoadWouldFetch() {
        runtime.behaviours.put("ok", inv -> RunResult.exited(0));
        ModuleStore store = store(bytes);
        assertThat(store.present(digest)).isFalse();
        assertThat(store.present("not a digest")).isFalse();
        store.load(REPLICA, digest);
        assertThat(store.present(digest)).isTrue();
        assertThat(store(bytes).present(digest)).as("on disk for a restarted agent").isTrue();
    }

    @Test
    void refusesBytesThatDoNotMatchTheDigest() {
        runtime.behaviours.put("evil", inv -> RunResult.exited(0));
        assertThatThrownBy(() -> store("evil".getBytes(StandardCharsets.UTF_8)).load(REPLICA, digest))
                .isInstanceOf(ModuleStore.ModuleFetchException.class).hasMessageContaining("has digest");
        assertThat(runtime.compilations).hasValue(0);
        assertThat(cache.resolve("modules").resolve(digest.substring(7) + ".wasm")).doesNotExist();
    }

    @Test
    void aFetchErrorIsAModuleFetchFailure() {
        NodeProperties node = new NodeProperties("n", Map.of(), 1, 1, 8181, null, cache);
        ModuleStore store = new ModuleStore((r, d) -> {
            throw new IllegalStateException("connection refused");
        }, runtime, node);
        assertThatThrownBy(() -> store.load(REPLICA, digest)).isInstanceOf(ModuleStore.ModuleFetchException.class)
                .hasMessageContaining("connection refused");
    }
}
