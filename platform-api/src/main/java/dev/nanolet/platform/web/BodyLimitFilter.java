package dev.nanolet.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies on {@code /api/} at {@link ApiLimits#maxBodySize()} (module uploads have
 * their own limit): a declared {@code Content-Length} above it is answered 413 before anything is
 * read; a chunked body is cut off when it passes the limit with {@link BodyTooLargeException},
 * which {@link ProblemAdvice} answers 413 too.
 */
@Component
@Order(BodyLimitFilter.ORDER)
class BodyLimitFilter extends OncePerRequestFilter {
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final long max;
    private final Problems problems;

    BodyLimitFilter(ApiLimits limits, Problems problems) {
        this.max = limits.maxBodySize().toBytes();
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ApiPaths.isApi(request) || ApiPaths.isUpload(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > max) {
            response.setHeader("Connection", "close");
            problems.write(response, ApiPaths.of(request), 413,
                    "Content Too Large", "the request body is larger than " + max + " bytes (nanolet.api.max-body-size)");
            return;
        }
        chain.doFilter(new Limited(request, max), response);
    }

    /** Thrown while reading a body that passes the limit. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long max) {
            super("the request body is larger than " + max + " bytes (nanolet.api.max-body-size)");
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), max);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > max) {
                throw new BodyTooLargeException(max);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
