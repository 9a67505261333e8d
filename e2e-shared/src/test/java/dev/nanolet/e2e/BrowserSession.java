package dev.nanolet.e2e;

import dev.nanolet.testsupport.browser.Browser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;

/**
 * The system's headless Chromium (test-support's {@link Browser}) for one test class: numbered
 * screenshots in {@code e2e/target/screenshots}, emptied first, and when a test fails a last
 * screenshot and the page source next to them, after which the browser is replaced.
 */
final class BrowserSession implements AutoCloseable, TestWatcher {
    private static final Path SCREENSHOTS = Paths.root().resolve("e2e/target/screenshots");
    /** How long the failure's screenshot and page source may take: a browser that hangs would take a command timeout each. */
    private static final Duration FAILURE_DIAGNOSTICS = Duration.ofSeconds(15);
    private Browser browser;
    private int shots;

    BrowserSession() {
        clear(SCREENSHOTS);
        browser = Browser.start(SCREENSHOTS);
    }

    WebDriver driver() {
        return browser.driver();
    }

    /** Navigates and waits for the page to load ({@link Browser#open}). */
    void open(String url) {
        browser.open(url);
    }

    /** Saves the visible page as {@code NN-name.png}. */
    void screenshot(String name) {
        browser.screenshot("%02d-%s".formatted(++shots, name));
    }

    /**
     * Saves a last screenshot and the page source, waiting for them no longer than {@link #FAILURE_DIAGNOSTICS}, then replaces
     * the browser ({@link Browser#replaced}): the test may have failed because it hangs.
     */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Browser failed = browser;
        failed.within(FAILURE_DIAGNOSTICS, () -> saveFailure(failed));
        browser = failed.replaced();
    }

    private void saveFailure(Browser failed) {
        try {
            failed.screenshot("%02d-failed".formatted(++shots));
            Files.writeString(SCREENSHOTS.resolve("failed-page.html"), failed.driver().getCurrentUrl() + "\n" + failed.driver().getPageSource());
        } catch (IOException | UncheckedIOException | WebDriverException e) {
            System.err.println("the failed test's screenshot or page could not be saved: " + e);
        }
    }

    private static void clear(Path dir) {
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        browser.close();
    }
}
