package dev.nanolet.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The built CLI jar's own classes and libraries as plain jars on a class path, with a class-data sharing archive of them:
 * the first run writes it ({@code -XX:+AutoCreateSharedArchive}), every later run maps the classes it loaded instead of
 * reading and verifying them again. Half of a CLI run's CPU is its JVM loading classes, and CliE2eTest runs the CLI some
 * 55 times; Spring Boot's nested jars cannot be archived, plain ones can. The archive is a cache: a JVM that cannot use it
 * (another JDK, a rebuilt jar) writes it again, and its messages are switched off so that the CLI's outputs stay its own.
 * Unpacked once per test run into {@code e2e-shared/target/cli-classpath}, from the jar that run finds built.
 */
final class CliClasspath {
    private static final String CLASSES = "BOOT-INF/classes/";
    private static final String LIB = "BOOT-INF/lib/";
    private static List<String> launch;

    private CliClasspath() {}

    /** The java options, class path and main class that run the CLI as {@code java -jar} runs it, arguments to follow. */
    static synchronized List<String> launch() {
        if (launch == null) {
            launch = unpack(Paths.jar("cli"), Paths.root().resolve("e2e-shared/target/cli-classpath"));
        }
        return launch;
    }

    private static List<String> unpack(Path jar, Path dir) {
        try (JarFile fat = new JarFile(jar.toFile())) {
            delete(dir);
            Files.createDirectories(dir);
            List<String> classPath = new ArrayList<>(List.of(dir.resolve("classes.jar").toString()));
            try (JarOutputStream classes = new JarOutputStream(Files.newOutputStream(dir.resolve("classes.jar")))) {
                for (Enumeration<JarEntry> entries = fat.entries(); entries.hasMoreElements();) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().startsWith(CLASSES) && entry.getName().length() > CLASSES.length()) {
                        classes.putNextEntry(new JarEntry(entry.getName().substring(CLASSES.length())));
                        copy(fat, entry, classes);
                    } else if (entry.getName().startsWith(LIB) && !entry.isDirectory()) {
                        Path lib = dir.resolve(entry.getName().substring(LIB.length()));
                        try (OutputStream out = Files.newOutputStream(lib)) {
                            copy(fat, entry, out);
                        }
                        classPath.add(lib.toString());
                    }
                }
            }
            List<String> command = new ArrayList<>(ServiceProcess.QUICK_START);
            command.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve("cli.jsa"), "-Xlog:cds*=off",
                    "-cp", String.join(java.io.File.pathSeparator, classPath), fat.getManifest().getMainAttributes().getValue("Start-Class")));
            return List.copyOf(command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + jar, e);
        }
    }

    private static void copy(JarFile jar, JarEntry entry, OutputStream to) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            in.transferTo(to);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
