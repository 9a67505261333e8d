package dev.nanolet.platform.module;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Row of {@code module_contents}: the exact bytes of a module. */
@Entity
@Table(name = "module_contents")
public class ModuleContentEntity {
    @Id
    private String digest;

    private byte[] bytes;

    protected ModuleContentEntity() {}

    public ModuleContentEntity(String digest, byte[] bytes) {
        this.digest = digest;
        this.bytes = bytes;
    }

    public String getDigest() { return digest; }
    public byte[] getBytes() { return bytes; }
}
