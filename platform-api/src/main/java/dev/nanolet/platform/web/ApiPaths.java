package dev.nanolet.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UrlPathHelper;

/**
 * Which requests are the API's, as every filter reads a request's path: within the application, decoded, {@code //}
 * made one. {@link DotSegmentFilter} has refused a path with a dot or an empty segment before the API's filters read
 * it; only {@link ErrorPathFilter} runs before it (and the audit's request id, which reads no path), and reads the
 * path to answer its 404 to {@code /error} and the paths below it, so one of those with such a segment
 * ({@code //error}, {@code /error/%2e%2e/x}) is that 404, not the 400: it is answered without a token, touches nothing,
 * and any other path goes on to {@link DotSegmentFilter}.
 * The bearer check, the audit, the body limit, the form and query checks all guard {@link #isApi}; the module upload
 * ({@link #isUpload}) has a body limit of its own and is the one endpoint that reads a multipart body.
 */
public final class ApiPaths {
    private static final String API = "/api/";
    private static final String UPLOAD = "/api/v1/modules";

    private ApiPaths() {}

    /** The path of {@code request} as the filters read it and name it in their problems. */
    public static String of(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    }

    /** Whether {@code request} is for the API ({@code /api/…}), not the actuator or an error page. */
    public static boolean isApi(HttpServletRequest request) {
        return of(request).startsWith(API);
    }

    /** Whether {@code request} is the module upload, {@code POST /api/v1/modules}. */
    static boolean isUpload(HttpServletRequest request) {
        return request.getMethod().equals("POST") && of(request).equals(UPLOAD);
    }
}
