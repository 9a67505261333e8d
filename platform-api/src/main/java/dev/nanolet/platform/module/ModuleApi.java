package dev.nanolet.platform.module;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.wire.ModuleInfo;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/v1/modules}: upload as a raw {@code application/wasm} body or as the multipart
 * part {@code file}, or import from an OCI registry with a JSON body {@code {"image": ...}}; digests in paths are {@code sha256:<hex>} (the colon may be percent-encoded).
 */
@RestController
@RequestMapping("/api/v1/modules")
class ModuleApi {
    static final String WASM = "application/wasm";
    private static final int MAX_NAME = 253;

    private static final String RETRY_AFTER_SECONDS = "1";
    /** A burst of uploads waits this long for a free slot before the answer is 503. */
    private static final long SLOT_WAIT_MS = 1000;

    private final ModuleRegistry registry;
    private final ModuleImport imports;
    private final long maxBytes;
    private final int maxUploads;
    private final Semaphore uploads;
    /**
     * Imports pulling from their registry, as many at once as uploads are parsed, on places of their own: a registry
     * that stalls (until {@code import-timeout}) holds imports only, never the places uploads are parsed on.
     */
    private final Semaphore pulls;

    ModuleApi(ModuleRegistry registry, ModuleImport imports, ModuleProperties properties) {
        this.registry = registry;
        this.imports = imports;
        this.maxBytes = properties.maxSize().toBytes();
        this.maxUploads = properties.maxConcurrentUploads();
        this.uploads = new Semaphore(maxUploads);
        this.pulls = new Semaphore(maxUploads);
    }

    /** Imports a Wasm artifact from an allowed OCI registry: {@code {"image": "registry/repo:tag", "name": "optional"}}. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModuleInfo> importImage(@RequestBody ModuleImport.Request request, HttpServletRequest http) {
        checkName(request.name());
        take(pulls, "importing");
        try {
            ModuleImport.Imported imported = imports.pull(request.image());
            String name = request.name() != null ? request.name() : imported.pulled().repository().replaceFirst("^.*/", "");
            return storeOnASlot(imported.upload(), name, imported.pulled().reference(), imported.pulled().manifestDigest(),
                    Caller.of(http));
        } finally {
            pulls.release();
        }
    }

    @PostMapping(consumes = WASM)
    ResponseEntity<ModuleInfo> uploadRaw(@RequestParam(required = false) String name, HttpServletRequest request)
            throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            throw ModuleUpload.tooLarge(maxBytes);
        }
        return store(request.getInputStream(), name, Caller.of(request));
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ModuleInfo> uploadForm(@RequestParam(required = false) String name,
            @RequestPart("file") MultipartFile file, HttpServletRequest request) throws IOException {
        checkName(name);
        checkDecoded("file", file.getOriginalFilename(), "its file name ");
        String fallback = file.getOriginalFilename() == null ? null : file.getOriginalFilename().replaceFirst("\\.wasm$", "");
        try (InputStream in = file.getInputStream()) {
            return store(in, name != null || fallback == null || fallback.isBlank() ? name : fallback, Caller.of(request));
        }
    }

    /**
     * Receives the body whole (to a temporary file) before it takes a slot: a sender that is slow,
     * or never finishes, holds its own connection and nothing that other uploads wait for.
     */
    private ResponseEntity<ModuleInfo> store(InputStream body, String name, Caller caller) {
        checkName(name);
        return storeOnASlot(ModuleUpload.receive(body, maxBytes), name, null, null, caller);
    }

    /** Parses and stores {@code received} on one of the upload places (closing it if none is free). */
    private ResponseEntity<ModuleInfo> storeOnASlot(ModuleUpload received, String name, String source, String sourceDigest,
            Caller caller) {
        try {
            take(uploads, "parsing");
        } catch (RuntimeException busy) {
            received.close();
            throw busy;
        }
        try {
            return store(received, name, source, sourceDigest, caller);
        } finally {
            uploads.release();
        }
    }

    private ResponseEntity<ModuleInfo> store(ModuleUpload received, String name, String source, String sourceDigest,
            Caller caller) {
        try (ModuleUpload upload = received) {
            checkName(name);
            ModuleRegistry.Stored stored;
            try {
                stored = registry.store(upload, name, source, sourceDigest);
            } catch (DataIntegrityViolationException e) {
                stored = registry.store(upload, name, source, sourceDigest); // the same bytes were stored concurrently: now found
            }
            ModuleInfo module = UsedBy.seenBy(caller, stored.module());
            return stored.created()
                    ? ResponseEntity.created(URI.create("/api/v1/modules/" + module.digest())).body(module)
                    : ResponseEntity.ok(module);
        }
    }

    /**
     * A multipart part's text that held bytes that are not UTF-8: Tomcat and Spring read each such byte as U+FFFD, and
     * the module was stored under that garbled name ({@code name} part {@code 0xFF}, {@code filename="m\xC0\xAF.wasm"},
     * {@code filename*=UTF-8''m%FF.wasm}). A U+FFFD sent as such is refused alike: it cannot be told apart. Every module
     * name is held to it ({@link #checkName}), a JSON import's and a raw upload's {@code ?name=} too.
     */
    private static void checkDecoded(String part, String text, String what) {
        if (text != null && text.indexOf('\uFFFD') >= 0) {
            throw new BadRequestException(part, what + NOT_UTF8);
        }
    }

    static final String NOT_UTF8 = "must be UTF-8 text (a byte that is not, read as U+FFFD, is refused, and so is U+FFFD)";

    /**
     * A display name, however it came (a JSON import's {@code name}, a raw upload's {@code ?name=}, a multipart
     * {@code name} part): no U+FFFD ({@link #checkDecoded}, 400), 1 to {@code MAX_NAME} characters, no control character
     * (PostgreSQL cannot store a NUL).
     */
    private static void checkName(String name) {
        checkDecoded("name", name, "");
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
            throw new InvalidInputException("name", "must be 1 to " + MAX_NAME + " characters");
        }
        if (name != null && name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("name", "must not contain control characters");
        }
    }

    /**
     * One of {@code max-concurrent-uploads} {@code places}: to parse and store a module (its body already received or
     * pulled), or to pull one for an import; released by the caller. Else 503 saying what the platform is busy
     * {@code doing}.
     */
    private void take(Semaphore places, String doing) {
        if (!place(places)) {
            throw new UploadsBusyException(doing, maxUploads);
        }
    }

    private static boolean place(Semaphore places) {
        try {
            return places.tryAcquire(SLOT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Too many uploads at once: 503 with {@code Retry-After}, so clients back off instead of failing. */
    @ExceptionHandler(UploadsBusyException.class)
    ResponseEntity<ProblemDetail> busy(UploadsBusyException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }

    @GetMapping
    List<ModuleInfo> list(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        return registry.list().stream().map(m -> UsedBy.seenBy(caller, m)).toList();
    }

    @GetMapping("/{digest}")
    ModuleInfo get(@PathVariable String digest, HttpServletRequest request) {
        return UsedBy.seenBy(Caller.of(request), registry.get(checked(digest)));
    }

    @GetMapping("/{digest}/content")
    ResponseEntity<byte[]> content(@PathVariable String digest, WebRequest request) {
        String etag = "\"" + checked(digest) + "\"";
        if (request.checkNotModified(etag)) {
            return null;
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(WASM)).eTag(etag).body(registry.content(digest));
    }

    @DeleteMapping("/{digest}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String digest) {
        registry.delete(checked(digest));
    }

    private static String checked(String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new NotFoundException("no module " + digest + " (digests look like sha256:<64 lowercase hex>)");
        }
        return digest;
    }
}
