package dev.nanolet.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The content address of a module: {@code sha256:} and 64 lowercase hex digits of its bytes. */
public final class ModuleDigest {
    private ModuleDigest() {}

    /** The digest of {@code bytes}, as {@link ModuleInfo#digest()} carries it. */
    public static String of(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
