package dev.nanolet.ui.security;

import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.header.CrossOriginOpenerPolicyServerHttpHeadersWriter.CrossOriginOpenerPolicy;
import org.springframework.security.web.server.header.CrossOriginResourcePolicyServerHttpHeadersWriter.CrossOriginResourcePolicy;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;

/**
 * What the browser may do with the dashboard's pages, added to Spring Security's defaults
 * ({@code X-Content-Type-Options}, {@code X-Frame-Options: DENY}, no caching, HSTS over HTTPS).
 * Scripts, styles, fetches and forms come only from the dashboard itself, never inline: htmx is
 * configured not to evaluate code nor inject its indicator style ({@code htmx-config} in the layout),
 * polling pauses while a tab is hidden by {@code js/live.js} instead of a trigger filter (which htmx
 * evaluates with {@code Function}), and a bar is a {@code <meter>} rather than a {@code style} width.
 * The dashboard is never framed, never sends its paths as a referrer to a route the admin opens,
 * and asks for no device.
 */
final class BrowserPolicy {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), "
            + "display-capture=()";

    private BrowserPolicy() {}

    static void apply(ServerHttpSecurity.HeaderSpec headers) {
        headers.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN))
                .permissionsPolicy(p -> p.policy(PERMISSIONS_POLICY))
                .crossOriginOpenerPolicy(o -> o.policy(CrossOriginOpenerPolicy.SAME_ORIGIN))
                .crossOriginResourcePolicy(r -> r.policy(CrossOriginResourcePolicy.SAME_ORIGIN));
    }
}
