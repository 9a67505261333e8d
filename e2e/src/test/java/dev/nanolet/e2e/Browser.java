package dev.nanolet.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium of the system (Debian's {@code chromium} and {@code chromium-driver}, or
 * {@code NANOLET_CHROMIUM} / {@code NANOLET_CHROMEDRIVER}), driven by Selenium; never downloads a
 * browser. Screenshots go to {@code e2e/target/screenshots}.
 */
final class Browser implements AutoCloseable, TestWatcher {
    final ChromeDriver driver;
    private final Path screenshots = Paths.root().resolve("e2e/target/screenshots");
    private int shots;

    Browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("NANOLET_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(executable("NANOLET_CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
                .build();
        clear(screenshots);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
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

    private static String executable(String env, String fallback) {
        String value = System.getenv(env);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Saves a PNG of the current page as {@code NN-name.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            Path file = screenshots.resolve("%02d-%s.png".formatted(++shots, name));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** On failure: a screenshot and the page source, next to the other screenshots. */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        screenshot("failed");
        try {
            Files.writeString(screenshots.resolve("failed-page.html"), driver.getCurrentUrl() + "\n" + driver.getPageSource());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
