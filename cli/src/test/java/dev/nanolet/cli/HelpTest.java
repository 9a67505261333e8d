package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
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

    @Test
    void helpNamesACommandToShowTheUsageOf() {
        assertUsage(Main.commandLine().getSubcommands().get("delete"), "help", "delete");
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
