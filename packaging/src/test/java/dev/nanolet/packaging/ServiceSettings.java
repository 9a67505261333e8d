package dev.nanolet.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The NANOLET_* environment variables a service really reads, taken from its sources at test time:
 * the placeholders of its application.yml / .yaml / .properties, and the names its Java code reads
 * itself (db-migrations' {@code env.get("NANOLET_DB_URL")}).
 */
record ServiceSettings(String module, Set<String> env, int serverPort) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(NANOLET_[A-Z0-9_]+)");
    private static final Pattern LITERAL = Pattern.compile("\"(NANOLET_[A-Z0-9_]+)\"");
    private static final Pattern SERVER_PORT = Pattern.compile("port\\s*[:=]\\s*\\$\\{NANOLET_[A-Z_]+:(\\d+)}");

    static ServiceSettings of(String module) {
        Set<String> names = new TreeSet<>();
        int port = 0;
        for (Path config : files(module + "/src/main/resources", "application.")) {
            String text = read(config);
            names.addAll(all(PLACEHOLDER.matcher(text)));
            Matcher m = SERVER_PORT.matcher(text);
            if (port == 0 && m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        for (Path java : files(module + "/src/main/java", "")) {
            names.addAll(all(LITERAL.matcher(read(java))));
        }
        return new ServiceSettings(module, Set.copyOf(names), port);
    }

    private static Set<String> all(Matcher m) {
        return m.results().map(r -> r.group(1)).collect(Collectors.toSet());
    }

    private static java.util.List<Path> files(String dir, String prefix) {
        Path root = Repo.path(dir);
        if (!Files.isDirectory(root)) {
            return java.util.List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
