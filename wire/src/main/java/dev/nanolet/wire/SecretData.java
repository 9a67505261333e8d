package dev.nanolet.wire;

import java.util.Map;

/**
 * Body of {@code PUT /api/v1/namespaces/{ns}/secrets/{name}}: the whole new content (keys not given are removed).
 * Never printed: {@link #toString()} shows the key names only.
 */
public record SecretData(Map<String, String> data) {
    public SecretData {
        data = data == null ? null : Collections2.map(data);
    }

    @Override
    public String toString() {
        return "SecretData[keys=" + (data == null ? "none" : data.keySet()) + "]";
    }
}
