package dev.nanolet.platform.deployment;

import dev.nanolet.wire.DeploymentSpec.Volume;
import dev.nanolet.wire.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code spec.volumes}: the name picks the node's directory ({@code <data-dir>/volumes/<replica>/<name>}),
 * so it is a DNS label and never a path; the mount path is only a guest path, absolute and plain.
 */
final class VolumeRules {
    static final int MAX_VOLUMES = 8;
    static final int MAX_MOUNT_PATH = 255;
    private static final Pattern MOUNT_PATH = Pattern.compile("/|(/[A-Za-z0-9._-]+)+");

    private VolumeRules() {}

    /** Every violation, named {@code volumes[i].name} or {@code volumes[i].mountPath} ({@code volumes} for the count). */
    static List<FieldError> check(List<Volume> volumes) {
        List<FieldError> errors = new ArrayList<>();
        if (volumes.size() > MAX_VOLUMES) {
            errors.add(new FieldError("volumes", "must have at most " + MAX_VOLUMES + " entries"));
            return errors;
        }
        Set<String> names = new HashSet<>();
        Set<String> mountPaths = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            String field = "volumes[" + i + "].";
            String name = volumes.get(i).name();
            String mountPath = volumes.get(i).mountPath();
            if (name == null || !SpecValidator.DNS_LABEL.matcher(name).matches()) {
                errors.add(new FieldError(field + "name", "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-'"));
            } else if (!names.add(name)) {
                errors.add(new FieldError(field + "name", "is already the name of another volume"));
            }
            String problem = mountPathProblem(mountPath);
            if (problem != null) {
                errors.add(new FieldError(field + "mountPath", problem));
            } else if (!mountPaths.add(mountPath)) {
                errors.add(new FieldError(field + "mountPath", "is already the mount path of another volume"));
            }
        }
        return errors;
    }

    private static String mountPathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "is required: the absolute guest path the directory is seen at";
        }
        if (path.length() > MAX_MOUNT_PATH || !MOUNT_PATH.matcher(path).matches()) {
            return "must be an absolute guest path of at most " + MAX_MOUNT_PATH
                    + " characters: '/' then segments of letters, digits, '.', '_' or '-', without a trailing '/'";
        }
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain '.' or '..' segments";
            }
        }
        return null;
    }
}
