package dev.nanolet.platform.web;

import dev.nanolet.wire.Problem.FieldError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem detail from a servlet filter, where {@link ProblemAdvice} is not reached. */
@Component
class Problems {
    private final JsonMapper json;

    Problems(JsonMapper json) {
        this.json = json;
    }

    void write(HttpServletResponse response, String path, int status, String title, String detail) throws IOException {
        write(response, problem(path, status, title, detail), status);
    }

    /** A problem with {@code errors} naming the one {@code field} at fault, as {@link ProblemAdvice} writes it. */
    void write(HttpServletResponse response, String path, int status, String title, String detail, String field,
            String message) throws IOException {
        Map<String, Object> problem = problem(path, status, title, detail);
        problem.put("errors", List.of(new FieldError(field, message)));
        write(response, problem, status);
    }

    private static Map<String, Object> problem(String path, int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", path);
        return problem;
    }

    private void write(HttpServletResponse response, Map<String, Object> problem, int status) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
