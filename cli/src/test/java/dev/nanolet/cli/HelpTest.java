package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** {@code --help} and {@code -h} on every command, one added later included: exit 0, its usage on stdout, nothing on stderr. */
class HelpTest {
    @TestFactory
    Stream<DynamicTest> everyCommandAnswersHelpWithItsUsage() {
        return commands(Main.commandLine()).stream().flatMap(command -> Stream.of("--help", "-h").map(option -> {
            List<String> args = new ArrayList<>(Arrays.asList(command.getCommandSpec().qualifiedName(" ").split(" ")));
            args.removeFirst();
            args.add(option);
            return DynamicTest.dynamicTest(String.join(" ", args), () -> assertUsage(command, args.toArray(String[]::new)));
        }));
    }

    /** An option the usage lists with an empty line beside it leaves the user to guess its unit or its effect. */
    @Test
    void everyOptionSaysWhatItDoesInTheUsage() {
        List<String> bare = commands(Main.commandLine()).stream()
                .flatMap(command -> command.getCommandSpec().options().stream()
                        .filter(option -> String.join("", option.description()).isBlank())
                        .map(option -> command.getCommandSpec().qualifiedName(" ") + " " + option.longestName()))
                .distinct()
                .toList();
        assertThat(bare).isEmpty();
    }

    @Test
    void helpNamesACommandToShowTheUsageOf() {
        assertUsage(Main.commandLine().getSubcommands().get("delete"), "help", "delete");
    }

    /**
     * The usage goes to the terminal as picocli writes it, its colours too: picocli's own text holds none of a server's, and
     * the {@link Terminal} that every command writes through turned each ESC of its colours into a space ({@code  [1mnanolet}).
     */
    @Test
    void theUsageKeepsItsColours() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String ansi = System.getProperty("picocli.ansi");
        System.setProperty("picocli.ansi", "true"); // as on a terminal
        try {
            assertThat(Loopback.run(out, err, "--help")).isZero();
            assertThat(Loopback.run(out, err, "get", "--no-such-option")).isEqualTo(CliException.USAGE);
        } finally {
            if (ansi == null) {
                System.clearProperty("picocli.ansi");
            } else {
                System.setProperty("picocli.ansi", ansi);
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: \u001b[1mnanolet\u001b[21m\u001b[0m");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: \u001b[1mnanolet get\u001b[21m\u001b[0m");
    }

    private static void assertUsage(CommandLine command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine();
        line.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        assertThat(line.execute(args)).as("exit code; stderr: %s", err).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).containsPattern("(?m)^Usage: " + command.getCommandSpec().qualifiedName(" ") + " ");
    }

    private static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!all.contains(sub)) {
                all.add(sub);
                all.addAll(commands(sub));
            }
        }
        return all;
    }
}
