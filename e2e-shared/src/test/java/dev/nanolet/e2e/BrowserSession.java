package dev.nanolet.e2e;

import dev.nanolet.testsupport.browser.Browser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.WebDriver;

/**
 * The system's headless Chromium (test-support's {@link Browser}) for one test class: numbered
 * screenshots in {@code e2e/target/screenshots}, emptied first, and when a test fails a last
 * screenshot and the page source next to them.
 */
final class BrowserSession implements AutoCloseable, TestWatcher {
    private static final Path SCREENSHOTS = Paths.root().resolve("e2e/target/screenshots");
    final WebDriver driver;
    private final Browser browser;
    private int shots;

    BrowserSession() {
        clear(SCREENSHOTS);
        browser = Browser.start(SCREENSHOTS);
        driver = browser.driver();
    }

    /** Navigates and waits for the page to load ({@link Browser#open}). */
    void open(String url) {
        browser.open(url);
    }

    /** Saves the visible page as {@code NN-name.png}. */
    void screenshot(String name) {
        browser.screenshot("%02d-%s".formatted(++shots, name));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        screenshot("failed");
        try {
            Files.writeString(SCREENSHOTS.resolve("failed-page.html"), driver.getCurrentUrl() + "\n" + driver.getPageSource());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
