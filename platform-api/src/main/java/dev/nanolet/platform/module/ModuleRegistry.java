package dev.nanolet.platform.module;

import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.wire.ModuleInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores modules once per digest and answers what is stored. */
@Service
@Transactional
public class ModuleRegistry {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final ModuleRepository modules;
    private final ModuleContentRepository contents;
    private final JsonMapper json;
    private final WasmInspector inspector;

    ModuleRegistry(ModuleRepository modules, ModuleContentRepository contents, JsonMapper json, WasmInspector inspector) {
        this.inspector = inspector;
        this.modules = modules;
        this.contents = contents;
        this.json = json;
    }

    /** What {@link #store} did: {@code created} is false when the same bytes were already stored. */
    record Stored(ModuleInfo module, boolean created) {}

    Stored store(ModuleUpload upload, String name) {
        return store(upload, name, null, null);
    }

    /** As {@link #store(ModuleUpload, String)}, recording the OCI reference and manifest digest it was imported from. */
    Stored store(ModuleUpload upload, String name, String source, String sourceDigest) {
        if (modules.existsById(upload.digest())) {
            return new Stored(get(upload.digest()), false);
        }
        WasmInspector.Facts facts = inspector.inspect(upload.file());
        modules.saveAndFlush(new ModuleEntity(upload.digest(), upload.size(), name,
                json.writeValueAsString(facts.imports()), json.writeValueAsString(facts.exports()), facts.wasi())
                .withSource(source, sourceDigest));
        contents.save(new ModuleContentEntity(upload.digest(), readAll(upload)));
        contents.flush();
        return new Stored(get(upload.digest()), true);
    }

    @Transactional(readOnly = true)
    List<ModuleInfo> list() {
        return modules.findAllByOrderByCreatedAtDescDigestAsc().stream().map(this::toInfo).toList();
    }

    @Transactional(readOnly = true)
    ModuleInfo get(String digest) {
        return toInfo(find(digest));
    }

    /** The exact bytes of a stored module. */
    @Transactional(readOnly = true)
    byte[] content(String digest) {
        return contents.findById(digest).orElseThrow(() -> notFound(digest)).getBytes();
    }

    /** Whether a module with {@code digest} is stored (deployments refer to modules by digest). */
    @Transactional(readOnly = true)
    public boolean exists(String digest) {
        return modules.existsById(digest);
    }

    void delete(String digest) {
        ModuleEntity module = find(digest);
        if (modules.isReferenced(digest)) {
            List<String> users = modules.usedBy(digest);
            throw new ConflictException("module " + digest + " is used by "
                    + (users.isEmpty() ? "a deployment that is still being deleted" : String.join(", ", users)));
        }
        try {
            modules.delete(module);
            modules.flush();
        } catch (DataIntegrityViolationException e) {
            throw new ConflictException("module " + digest + " was taken into use by a deployment while it was being deleted");
        }
    }

    private ModuleEntity find(String digest) {
        return modules.findById(digest).orElseThrow(() -> notFound(digest));
    }

    private static NotFoundException notFound(String digest) {
        return new NotFoundException("no module " + digest);
    }

    private ModuleInfo toInfo(ModuleEntity m) {
        return new ModuleInfo(m.getDigest(), m.getSize(), m.getName(), json.readValue(m.getImports(), STRINGS),
                json.readValue(m.getExports(), STRINGS), m.isWasi(), m.getCreatedAt(), modules.usedBy(m.getDigest()),
                m.getSource(), m.getSourceDigest());
    }

    private static byte[] readAll(ModuleUpload upload) {
        try {
            return Files.readAllBytes(upload.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
