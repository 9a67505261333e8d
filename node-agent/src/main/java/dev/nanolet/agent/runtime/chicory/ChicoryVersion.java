package dev.nanolet.agent.runtime.chicory;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Chicory compiler's version, read from its jar: compiled classes are only valid for it. */
final class ChicoryVersion {

    static final String VALUE = read();

    private ChicoryVersion() {}

    private static String read() {
        String resource = "/META-INF/maven/com.dylibso.chicory/compiler/pom.properties";
        try (InputStream in = MachineFactoryCompiler.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
