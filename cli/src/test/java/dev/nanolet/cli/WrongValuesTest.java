package dev.nanolet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A 400 naming several values of the wrong type, as platform-api answers a body holding them (problems/*.json, written by
 * its WrongValuesTest's bodies): its {@code detail} names the first and how many more, its {@code errors} each, at most 20,
 * and {@code moreErrors} counts the others. Each value is said once, and the others' count after them: the first was said
 * twice (in the detail and again as the first field), and the count of those not named was not said at all.
 */
class WrongValuesTest {
    private static final String QUOTE_IT = "must be a string: quote a number or true/false (\"8080\", \"true\")";

    @Test
    void eachWrongValueIsSaidOnce() throws IOException {
        assertThat(said("wrong-values-8.json")).isEqualTo("""
                nanolet: replicas: must be a whole number (and 7 more values of the wrong type, each named in errors)
                  args[0]: %1$s
                  args[2]: %1$s
                  args[3]: must not be null
                  limits.memoryMiB: must be a whole number
                  job.restartPolicy: must be one of Never, OnFailure
                  http: must be an object
                  env.PORT: %1$s
                """.formatted(QUOTE_IT));
    }

    @Test
    void theValuesNotNamedAreCounted() throws IOException {
        String named = IntStream.range(1, 20).mapToObj(i -> "  args[" + i + "]: " + QUOTE_IT + "\n").collect(Collectors.joining());
        assertThat(said("wrong-values-25.json")).isEqualTo("nanolet: args[0]: " + QUOTE_IT + " (and 24 more values of the wrong type,"
                + " the first 20 in all named in errors)\n" + named + "  and 5 more, counted but not named\n");
    }

    /** A body naming {@code replicas} twice (given twice, {@code {"replicas": "x", "replicas": "y"}}): the second was left out too. */
    @Test
    void aValueNamedTwiceIsSaidOnItsOwnLineOnce() throws IOException {
        String detail = "replicas: must be a whole number (and 1 more value of the wrong type, each named in errors)";
        assertThat(saidOf(problem(detail, "replicas", "must be a whole number", "replicas", "must be a whole number")))
                .isEqualTo("nanolet: " + detail + "\n  replicas: must be a whole number\n");
    }

    /**
     * A wrong value and an unknown field, as platform-api names them together in one 400 (and as one before it named every
     * unknown field worded it): the value was said twice.
     */
    @Test
    void aWrongValueBeforeAnUnknownFieldIsSaidOnce() throws IOException {
        for (String detail : List.of(
                "replicas: must be a whole number (and 1 more value of the wrong type or unknown field, each named in errors)",
                "replicas: must be a whole number; reading stopped at an unknown field, replica, named last in errors")) {
            assertThat(saidOf(problem(detail, "replicas", "must be a whole number", "replica", "is not a known field; known here: args")))
                    .isEqualTo("nanolet: " + detail + "\n  replica: is not a known field; known here: args\n");
        }
    }

    /** A 400's body of {@code detail} and the errors of {@code fieldsAndMessages}, a field and its message in turn. */
    private static String problem(String detail, String... fieldsAndMessages) {
        var problem = Api.JSON.createObjectNode().put("status", 400).put("detail", detail);
        for (int i = 0; i < fieldsAndMessages.length; i += 2) {
            problem.withArray("errors").addObject().put("field", fieldsAndMessages[i]).put("message", fieldsAndMessages[i + 1]);
        }
        return problem.toString();
    }

    /** What {@code scale web --replicas 3} says on stderr, answered 400 with the body in problems/{@code problem}; exit 2. */
    private static String said(String problem) throws IOException {
        try (InputStream in = WrongValuesTest.class.getResourceAsStream("/problems/" + problem)) {
            return saidOf(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** What {@code scale web --replicas 3} says on stderr, answered 400 with {@code body}; exit 2. */
    private static String saidOf(String body) throws IOException {
        try (Loopback server = new Loopback(exchange -> new Loopback.Answer(400, body))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(Loopback.run(new ByteArrayOutputStream(), err, server.args("scale", "web", "--replicas", "3")))
                    .as("%s", err).isEqualTo(CliException.USAGE);
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
