package dev.nanolet.agent.replica;

import dev.nanolet.agent.config.NodeProperties;
import dev.nanolet.agent.config.VolumeProperties;
import dev.nanolet.agent.runtime.DiskQuota;
import dev.nanolet.agent.runtime.Invocation;
import dev.nanolet.wire.Assignment;
import dev.nanolet.wire.DeploymentSpec.Volume;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The directories of {@code spec.volumes}: {@code <data-dir>/volumes/<replica id>/<name>} (0700), made
 * when a replica is prepared, kept across its runs and requests (and node restarts), removed when the
 * platform no longer has the replica. The host path comes from the replica id and a DNS-label name
 * only: a tenant never chooses it (the name is checked again here, whatever sent it).
 */
@Component
class Volumes {

    private static final Logger log = LoggerFactory.getLogger(Volumes.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final FileAttribute<?>[] PRIVATE = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];
    static final long BLOCK = DiskQuota.ENTRY_BYTES;
    private final Path root;
    private final long maxBytes;
    private final Map<UUID, DiskQuota> quotas = new ConcurrentHashMap<>();

    Volumes(NodeProperties node, VolumeProperties limits) {
        this.root = node.dataDir().resolve("volumes");
        this.maxBytes = limits.maxBytes().toBytes();
    }

    /** A volume this node refuses to make (a name that is not a DNS label): the replica fails with it. */
    static final class InvalidVolumeException extends Exception {
        InvalidVolumeException(String message) {
            super(message);
        }
    }

    /**
     * Makes (or finds) the replica's volumes and answers them as directories to preopen, all under the
     * replica's one disk quota of {@code NANOLET_VOLUMES_MAX_BYTES}: its guests' writes past it fail with
     * {@code EDQUOT} as they happen. The quota starts from what the volumes hold (after a node restart, their
     * files), and {@link #measure} sets it again to what they hold.
     */
    List<Invocation.Directory> create(Assignment a) throws IOException, InvalidVolumeException {
        if (a.spec().volumes().isEmpty()) {
            return List.of();
        }
        DiskQuota quota = quotas.computeIfAbsent(a.replicaId(), id -> new DiskQuota(maxBytes));
        List<Invocation.Directory> directories = new ArrayList<>();
        for (Volume v : a.spec().volumes()) {
            if (v.name() == null || !NAME.matcher(v.name()).matches() || v.mountPath() == null || !v.mountPath().startsWith("/")) {
                throw new InvalidVolumeException("volume " + v.name() + " at " + v.mountPath()
                        + ": the name must be a DNS-1123 label and the mount path absolute");
            }
            Path host = directory(a.replicaId()).resolve(v.name());
            mkdir(root);
            mkdir(host.getParent());
            mkdir(host);
            directories.add(new Invocation.Directory(host, v.mountPath(), quota));
        }
        measure(a.replicaId());
        return List.copyOf(directories);
    }

    /**
     * Measures the replica's volumes ({@link #usage}, stopping above the limit) and sets their quota to it, the
     * bytes its guests charged during the walk added; answers what was measured.
     */
    long measure(UUID replicaId) {
        DiskQuota quota = quotas.get(replicaId);
        long mark = quota == null ? 0 : quota.mark();
        Set<Object> open = quota == null ? Set.of() : quota.heldKeys();
        Set<Object> found = new HashSet<>();
        long used = usage(replicaId, maxBytes, open, found);
        if (quota != null) {
            used += quota.unlinked(open, found);
            quota.measured(used, mark);
        }
        return used;
    }

    /** Deletes the replica's volumes; a failure is logged and left for {@link #retainOnly}. */
    void remove(UUID replicaId) {
        quotas.remove(replicaId);
        Path dir = directory(replicaId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove the volumes of replica {} yet: {}", replicaId, e.toString());
        }
    }

    /**
     * What the replica's volumes use on disk, as far as it is needed: the bytes of its files plus one block
     * ({@value #BLOCK} bytes) per file, directory and link, so that a million empty files count too. Links are
     * not followed. The walk stops once the sum is above {@code above}.
     */
    long usage(UUID replicaId, long above) {
        return usage(replicaId, above, Set.of(), new HashSet<>());
    }

    /** As {@link #usage(UUID, long)}, putting in {@code found} the keys of {@code open} that it walks past. */
    private long usage(UUID replicaId, long above, Set<Object> open, Set<Object> found) {
        Path dir = directory(replicaId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] sum = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return add(DiskQuota.entry(attrs));
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (open.contains(attrs.fileKey())) {
                        found.add(attrs.fileKey());
                    }
                    return add(DiskQuota.entry(attrs));
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while walking
                }

                private FileVisitResult add(long bytes) {
                    sum[0] += bytes;
                    return sum[0] > above ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("cannot measure the volumes of replica {}: {}", replicaId, e.toString());
        }
        return sum[0];
    }

    /** Removes the volumes of every replica not in {@code replicas} (a full snapshot of what the platform has). */
    void retainOnly(Set<UUID> replicas) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.map(p -> uuid(p.getFileName().toString())).filter(id -> id != null && !replicas.contains(id)).forEach(this::remove);
        } catch (IOException e) {
            log.warn("cannot list {}: {}", root, e.toString());
        }
    }

    private Path directory(UUID replicaId) {
        return root.resolve(replicaId.toString());
    }

    /** The replica id a directory is named after; null for any other name. */
    private static UUID uuid(String name) {
        try {
            UUID id = UUID.fromString(name);
            return id.toString().equals(name) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void mkdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PRIVATE);
        }
    }
}
