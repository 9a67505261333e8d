package dev.nanolet.platform.fuzz;

import java.net.http.HttpResponse;
import java.util.regex.Pattern;

/** What every answer to hostile input must be: below 500, and a 4xx is problem+json that leaks no Java exception. */
final class Problems {
    /** A Java exception class name or a stack frame in a body. */
    private static final Pattern LEAK = Pattern.compile("(java|jakarta|org\\.springframework|tools\\.jackson|com\\.dylibso)\\.[a-z.]+[A-Z]\\w*(Exception|Error)|\\bat [a-z]+\\.[\\w.$]+\\(");

    private Problems() {}

    /** Null if the answer is as it must be, else what is wrong with it. */
    static String check(HttpResponse<String> r) {
        int status = r.statusCode();
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            return status + " " + abbreviate(r.body());
        }
        if (status >= 400 && !type.startsWith("application/problem+json")) {
            return status + " with Content-Type '" + type + "', not application/problem+json: " + abbreviate(r.body());
        }
        if (LEAK.matcher(r.body()).find()) {
            return status + " leaks a Java exception: " + abbreviate(r.body());
        }
        return null;
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
