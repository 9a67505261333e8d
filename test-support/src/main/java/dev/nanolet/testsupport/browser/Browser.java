package dev.nanolet.testsupport.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven by Selenium, using the system's browser and driver
 * ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}; override with
 * {@code NANOLET_CHROMIUM} and {@code NANOLET_CHROMEDRIVER}). Nothing is downloaded.
 *
 * <p>When either binary is missing, {@link #start} fails with a message that says how to
 * install them: browser tests never skip silently. A test may skip on purpose only when
 * {@code NANOLET_SKIP_BROWSER=true} ({@link #skipRequested}).
 */
public final class Browser implements AutoCloseable {
    private static final String[] ARGS = {"--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-dev-shm-usage", "--window-size=1280,1000"};
    private final ChromeDriver driver;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    /** Whether the environment asks to skip browser tests ({@code NANOLET_SKIP_BROWSER=true}). */
    public static boolean skipRequested() {
        return "true".equalsIgnoreCase(System.getenv("NANOLET_SKIP_BROWSER"));
    }

    /** Starts Chromium; screenshots go to {@code target/screenshots} of the working directory. */
    public static Browser start() {
        return start(Path.of("target", "screenshots"));
    }

    public static Browser start(Path screenshots) {
        File chromium = executable("NANOLET_CHROMIUM", "/usr/bin/chromium");
        File chromedriver = executable("NANOLET_CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments(ARGS);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), screenshots);
    }

    private static File executable(String env, String fallback) {
        String configured = System.getenv(env);
        File file = new File(configured == null || configured.isBlank() ? fallback : configured);
        if (!file.canExecute()) {
            throw new IllegalStateException("browser tests need " + file + " (set " + env + ", or install Debian's chromium and "
                    + "chromium-driver: apt-get install -y chromium chromium-driver); set NANOLET_SKIP_BROWSER=true to skip them on purpose");
        }
        return file;
    }

    public WebDriver driver() {
        return driver;
    }

    /** Waits up to {@code timeout} until {@code condition} answers something other than null or false. */
    public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition::apply);
    }

    /** Makes the window phone-sized (390×844) or desktop-sized again. */
    public void phoneWidth(boolean phone) {
        driver.manage().window().setSize(phone ? new Dimension(390, 844) : new Dimension(1280, 1000));
    }

    /** Saves a PNG of the visible page as {@code <screenshots>/<name>.png} and answers its path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(screenshots);
            Path target = screenshots.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
