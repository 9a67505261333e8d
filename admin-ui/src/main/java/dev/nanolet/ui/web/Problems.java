package dev.nanolet.ui.web;

import dev.nanolet.wire.Problem;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One readable sentence for a problem from platform-api: its detail (or title), then each field error. */
public final class Problems {
    private Problems() {}

    public static String describe(Problem problem) {
        String head = problem.detail() == null || problem.detail().isBlank() ? problem.title() : problem.detail();
        return Stream.concat(Stream.of(head), problem.errors().stream().map(e -> e.field() + " " + e.message()))
                .collect(Collectors.joining("; "));
    }
}
