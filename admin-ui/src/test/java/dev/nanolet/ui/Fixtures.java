package dev.nanolet.ui;

import java.util.Map;

/** Canned inputs shared by the tests. */
final class Fixtures {
    /** The smallest valid WebAssembly module: magic number and version 1. */
    static final byte[] EMPTY_WASM = {0, 'a', 's', 'm', 1, 0, 0, 0};

    private Fixtures() {}

    /** Uploads the module through the UI and answers its digest. */
    static String upload(UiSession session) {
        return moduleFormFor(session.upload("hello.wasm", EMPTY_WASM), "upload");
    }

    /** Imports {@code image} through the "New deployment" page and answers the digest of the module it imported. */
    static String importImage(UiSession session, String image) {
        return moduleFormFor(session.post("/deployments/new", "/deployments/new/import", Map.of("image", image)), "import");
    }

    /** The digest of the module {@code r} redirected to the new deployment's form for, else an assertion error. */
    static String moduleFormFor(UiSession.Response r, String what) {
        String location = r.location();
        if (location == null || !location.contains("module=sha256")) {
            throw new AssertionError(what + " answered " + r.status() + " " + location + "\n" + r.body());
        }
        return java.net.URLDecoder.decode(location.substring(location.indexOf("module=") + 7), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The new-deployment form for an http deployment with {@code replicas}. */
    static Map<String, String> httpForm(String name, String digest, int replicas) {
        return Map.ofEntries(Map.entry("namespace", "default"), Map.entry("name", name), Map.entry("module", digest),
                Map.entry("kind", "http"), Map.entry("path", "/" + name), Map.entry("restartPolicy", "Never"),
                Map.entry("replicas", String.valueOf(replicas)), Map.entry("args", "--greeting\nhi"), Map.entry("envName", "GREETING"), Map.entry("envValue", "hello"),
                Map.entry("memoryMiB", "32"), Map.entry("timeoutMs", "5000"), Map.entry("maxConcurrency", "4"), Map.entry("nodeSelector", "zone=a"));
    }

    /** {@link #httpForm} with some fields typed otherwise ({@code env}, or an edit form's {@code resourceVersion}). */
    static Map<String, String> httpForm(String name, String digest, int replicas, Map<String, String> typed) {
        var form = new java.util.HashMap<>(httpForm(name, digest, replicas));
        form.putAll(typed);
        return form;
    }

    /** Uploads a module and creates an http deployment of it through the UI. */
    static String deploy(UiSession session, String name, int replicas) {
        String digest = upload(session);
        UiSession.Response r = session.post("/deployments/new", "/deployments", httpForm(name, digest, replicas));
        r.redirect();
        return digest;
    }
}
