package dev.nanolet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What {@code apply} did to each Secret document of a manifest, said on stderr by name and key names, never a value:
 * the apply's answer lists deployments only, so a manifest of one Secret printed an empty table. platform-api says
 * what the request did to each in its answer's {@value #HEADER} header; an older one, without it, is read as before:
 * a secret's {@code version} rises only when its data changes, so its version before and after the apply tells
 * created, updated and unchanged apart (a write by someone else in between is then counted as this apply's).
 */
final class SecretReport {
    /** {@code ns/name created|updated|unchanged VERSION}, comma-separated, one per Secret document in order. */
    static final String HEADER = "Nanolet-Secrets";

    private final List<Manifests.Document> secrets;
    private final List<JsonNode> before;

    private SecretReport(List<Manifests.Document> secrets, List<JsonNode> before) {
        this.secrets = secrets;
        this.before = before;
    }

    /** Each Secret document's secret as it is before the apply (a missing node when there is none yet). */
    static SecretReport before(Api api, List<Manifests.Document> docs) {
        List<Manifests.Document> secrets = docs.stream().filter(Manifests.Document::isSecret).toList();
        return new SecretReport(secrets, secrets.stream().map(d -> api.find(path(d))).toList());
    }

    /**
     * Says what the apply did to each (a dry run writes no secret: only whether it would be created): as {@code done},
     * the answer's {@value #HEADER}, says, or, without it or when it does not name the manifest's secrets in order,
     * from the versions before and after.
     */
    void after(Api api, boolean dryRun, Optional<String> done) {
        List<String> said = dryRun ? null : done.map(this::said).orElse(null);
        for (int i = 0; i < secrets.size(); i++) {
            Manifests.Document d = secrets.get(i);
            String subject = "secret " + d.namespace() + "/" + d.name();
            if (dryRun) {
                Output.progress(before.get(i).isMissingNode() ? DryRunOption.said(true, subject, "created") + keys(d)
                        : subject + " would be written (a dry run compares no values: nanolet diff -f says which keys change)");
                continue;
            }
            if (said != null) {
                Output.progress(said.get(i));
                continue;
            }
            JsonNode now = api.get(path(d));
            String keys = " (keys: " + String.join(", ", now.path("keys").valueStream().map(JsonNode::asString).toList()) + ")";
            if (before.get(i).isMissingNode()) {
                Output.progress(subject + " created" + keys);
            } else if (now.path("version").asLong() != before.get(i).path("version").asLong()) {
                Output.progress(subject + " updated to version " + now.path("version").asLong() + keys);
            } else {
                Output.progress(subject + " unchanged");
            }
        }
    }

    /**
     * After an apply that failed once it was written (a {@code --wait} that ended 422, 401 or 503): what {@code done}, the
     * failure's {@value #HEADER}, says was done to each secret, which stays written; nothing is said without it (a refusal
     * wrote nothing) and nothing is asked of the server (the token may be the one revoked).
     */
    void afterFailed(Optional<String> done) {
        done.map(this::said).ifPresent(lines -> lines.forEach(Output::progress));
    }

    /** Each Secret document's line as {@code header} says what was done to it; null if it does not name them in order. */
    private List<String> said(String header) {
        String[] entries = header.split(",");
        if (entries.length != secrets.size()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            Manifests.Document d = secrets.get(i);
            String[] entry = entries[i].trim().split(" ");
            if (entry.length != 3 || !entry[0].equals(d.namespace() + "/" + d.name()) || !entry[2].matches("[0-9]{1,19}")) {
                return null;
            }
            String subject = "secret " + entry[0];
            switch (entry[1]) {
                case "created" -> lines.add(subject + " created" + keys(d));
                case "updated" -> lines.add(subject + " updated to version " + entry[2] + keys(d));
                case "unchanged" -> lines.add(subject + " unchanged");
                default -> {
                    return null;
                }
            }
        }
        return lines;
    }

    private static String keys(Manifests.Document d) {
        TreeSet<String> keys = new TreeSet<>();
        d.spec().forEach(data -> keys.addAll(data.propertyNames()));
        return " (keys: " + String.join(", ", keys) + ")";
    }

    private static String path(Manifests.Document d) {
        return Api.path("namespaces", d.namespace(), "secrets", d.name());
    }
}
