package dev.nanolet.ui;

import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the browser's pages report that a test cannot see in their HTML: each Content-Security-Policy
 * violation (the {@code securitypolicyviolation} event: a blocked inline script or style, an
 * {@code eval}, a fetch elsewhere), each htmx swap and each poll of a live part that was cancelled
 * (heard on {@code window}, after the page's own listeners on {@code document} had their say). A script added through the DevTools protocol
 * listens from the start of every document, before the page's own scripts and outside its policy,
 * and keeps what it saw in the tab's {@code sessionStorage}, so it survives navigation on the dashboard.
 */
final class PageWatch {
    private static final String KEY = "nanolet-page-watch";
    private static final String LISTEN = """
            (() => {
              const KEY = '%s';
              const note = (change) => {
                try {
                  const seen = JSON.parse(sessionStorage.getItem(KEY) || '{"violations":[],"swaps":0,"cancelledPolls":0}');
                  change(seen);
                  sessionStorage.setItem(KEY, JSON.stringify(seen));
                } catch (e) { /* a document without storage (about:blank) */ }
              };
              document.addEventListener('securitypolicyviolation', e => note(seen => seen.violations.push(
                  e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber
                  + ' on ' + location.pathname + (e.sample ? ' (' + e.sample + ')' : ''))));
              document.addEventListener('htmx:afterSwap', () => note(seen => seen.swaps++));
              window.addEventListener('htmx:beforeRequest', e => {
                if (e.defaultPrevented && e.target.classList.contains('live')) note(seen => seen.cancelledPolls++);
              });
            })();
            """.formatted(KEY);
    private final WebDriver driver;

    private PageWatch(WebDriver driver) {
        this.driver = driver;
    }

    /** Starts watching every document the browser opens from now on. */
    static PageWatch start(WebDriver driver) {
        ((ChromeDriver) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", LISTEN));
        return new PageWatch(driver);
    }

    /** The violations reported so far, one line each (directive, what was blocked, where). */
    @SuppressWarnings("unchecked")
    List<String> violations() {
        Object seen = script("return JSON.parse(sessionStorage.getItem(arguments[0]) || '{\"violations\":[]}').violations", KEY);
        return List.copyOf((List<String>) seen);
    }

    /** How many times htmx swapped content in so far. */
    long swaps() {
        return ((Number) script("return JSON.parse(sessionStorage.getItem(arguments[0]) || '{\"swaps\":0}').swaps", KEY)).longValue();
    }

    /** How many requests of live parts ({@code class="live"}) were cancelled so far. */
    long cancelledPolls() {
        return ((Number) script("return JSON.parse(sessionStorage.getItem(arguments[0]) || '{}').cancelledPolls || 0", KEY)).longValue();
    }

    /** Forgets what was seen (a test that provokes a violation on purpose). */
    void clear() {
        script("sessionStorage.removeItem(arguments[0])", KEY);
    }

    private Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }
}
