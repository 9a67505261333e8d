package dev.nanolet.ui.web;

import org.springframework.web.server.ServerWebExchange;

/** htmx's request conventions: a page's live part is re-fetched as its {@code live} fragment. */
public final class Htmx {
    /** The status after which htmx polls an element no more. */
    static final int STOP_POLLING = 286;

    private Htmx() {}

    public static boolean isHtmx(ServerWebExchange exchange) {
        return exchange.getRequest().getHeaders().containsHeader("HX-Request");
    }

    /** {@code view} for a full page, {@code view :: live} when htmx polls for the live fragment. */
    public static String liveOr(ServerWebExchange exchange, String view) {
        return isHtmx(exchange) ? view + " :: live" : view;
    }
}
