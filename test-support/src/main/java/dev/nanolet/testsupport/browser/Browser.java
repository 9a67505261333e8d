package dev.nanolet.testsupport.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven by Selenium, using the system's browser and driver
 * ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}; override with
 * {@code NANOLET_CHROMIUM} and {@code NANOLET_CHROMEDRIVER}). Nothing is downloaded.
 *
 * <p>When either binary is missing, {@link #start} fails with a message that says how to
 * install them: browser tests never skip silently. A test may skip on purpose only when
 * {@code NANOLET_SKIP_BROWSER=true} ({@link #skipRequested}).
 *
 * <p>A page that does not load within {@link #PAGE_LOAD} fails {@link #open} with the resources that
 * got no response; chromedriver's log of each browser is kept in {@code chromedriver/} next to the screenshots.
 *
 * <p>Its tests, {@code BrowserTest}, run in admin-ui, in this package (for the package-private timeouts they shorten), so
 * that their minute of Chromium starts does not hold test-support's build, which every other module waits for.
 */
public final class Browser implements AutoCloseable {
    /** How long {@link #open} waits for a page's load event (chromedriver's default is 300 s, and Selenium gives up after 180). */
    static final Duration PAGE_LOAD = Duration.ofSeconds(30);
    /** How long Selenium waits for any chromedriver answer: longer than a page load or a script may take. */
    private static final Duration COMMAND = Duration.ofSeconds(90);
    private static final String[] ARGS = {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        // a fresh profile does nothing but the test's pages: no first-run tasks, updates, sync, extensions or network chatter
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions",
        // the sign-in page has a password field: keep passwords in the profile, never ask a keyring over D-Bus
        "--password-store=basic"};
    /** The name of the mark {@link #open} leaves on the document it navigates away from. */
    private static final String LEFT = "nanoletLeftByOpen";
    /** How long {@link #close} lets Selenium's quit take before it kills chromedriver and Chromium. */
    static final Duration QUIT = Duration.ofSeconds(10);
    private final ChromeDriver driver;
    private final ProcessHandle chromedriver;
    private final Path screenshots;
    private final Path log;
    private final Duration pageLoad;
    private final Duration command;

    private Browser(ChromeDriver driver, ProcessHandle chromedriver, Path screenshots, Path log, Duration pageLoad, Duration command) {
        this.driver = driver;
        this.chromedriver = chromedriver;
        this.screenshots = screenshots;
        this.log = log;
        this.pageLoad = pageLoad;
        this.command = command;
    }

    /** Whether the environment asks to skip browser tests ({@code NANOLET_SKIP_BROWSER=true}). */
    public static boolean skipRequested() {
        return "true".equalsIgnoreCase(System.getenv("NANOLET_SKIP_BROWSER"));
    }

    /** Starts Chromium; screenshots go to {@code target/screenshots} of the working directory. */
    public static Browser start() {
        return start(Path.of("target", "screenshots"));
    }

    /** Starts Chromium; screenshots go to {@code screenshots}, chromedriver's log to {@code chromedriver/} beside it. */
    public static Browser start(Path screenshots) {
        return start(screenshots, PAGE_LOAD);
    }

    static Browser start(Path screenshots, Duration pageLoad) {
        return start(screenshots, pageLoad, COMMAND);
    }

    static Browser start(Path screenshots, Duration pageLoad, Duration command) {
        File chromium = executable("NANOLET_CHROMIUM", "/usr/bin/chromium");
        File chromedriver = executable("NANOLET_CHROMEDRIVER", "/usr/bin/chromedriver");
        Path log = logFile(screenshots.toAbsolutePath().resolveSibling("chromedriver"));
        ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments(ARGS);
        options.setPageLoadTimeout(pageLoad);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort()
                .withLogFile(log.toFile()).withLogLevel(ChromiumDriverLogLevel.DEBUG).withReadableTimestamp(true).build();
        ChromeDriver driver = new ChromeDriver(service, options, ClientConfig.defaultConfig().readTimeout(command));
        return new Browser(driver, chromedriverProcess(service.getUrl().getPort()), screenshots, log, pageLoad, command);
    }

    /** The chromedriver this JVM started listening on {@code port}: Chromium runs under it. */
    private static ProcessHandle chromedriverProcess(int port) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains("--port=" + port)).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no chromedriver process with --port=" + port));
    }

    private static Path logFile(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.createTempFile(dir, Instant.now().toString().replace(':', '-') + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /**
     * Navigates to {@code url} and waits for its load event. A page that does not load within {@link #PAGE_LOAD}
     * fails with the page's resources that got no response, how the server answers the same URL on a new connection, and where
     * chromedriver's log is. There is no retry: the CI's hang (reactor-netty issue 4361) was a server that
     * stopped reading the browser's keep-alive connection while it answered every new one, so a second try
     * or an answering probe would have hidden a real bug. A load that answers only once the page-load time has passed
     * fails too: chromedriver stops a load at its timeout, which completes the document, and once (BrowserTest, at load 20
     * on two cores) {@code get} returned normally for a page whose stylesheet is never answered, so only that timeout can
     * have ended its load.
     *
     * <p>chromedriver may also answer {@code get} before the new document has loaded at all: at load 20 it answered 2 of 40
     * navigations within 60 ms of sending {@code Page.navigate} (its log: "Done waiting for pending navigations" right after
     * {@code Runtime.executionContextsCleared}), with the page that was left still there. So the document being left is
     * marked first, and {@code open} returns only once a document without the mark is complete.
     */
    public void open(String url) {
        long started = System.nanoTime();
        markLeft();
        try {
            driver.get(url);
        } catch (TimeoutException e) {
            throw notLoaded(url, e);
        }
        Duration left = pageLoad.minusNanos(System.nanoTime() - started);
        if (left.isNegative() || left.isZero() || !loadedWithin(left)) {
            throw notLoaded(url, null);
        }
    }

    private void markLeft() {
        try {
            ((JavascriptExecutor) driver).executeScript("window[arguments[0]] = true", LEFT);
        } catch (WebDriverException e) {
            // a page that cannot run a script now (a dialog is open): get answers for it as it would have
        }
    }

    /**
     * Whether a document other than the one {@link #markLeft marked} completes its load within {@code time}; if not, its load
     * is stopped, as chromedriver stops one at its page-load timeout, so that {@link #notAnswered} can read the page.
     */
    private boolean loadedWithin(Duration time) {
        try {
            new WebDriverWait(driver, time, Duration.ofMillis(50)).ignoring(WebDriverException.class).until(d -> ((JavascriptExecutor) d)
                    .executeScript("return !window[arguments[0]] && document.readyState === 'complete'", LEFT));
            return true;
        } catch (TimeoutException e) {
            try {
                ((JavascriptExecutor) driver).executeScript("window.stop()");
            } catch (WebDriverException stopRefused) {
                // notAnswered says that the page could not be asked
            }
            return false;
        }
    }

    private AssertionError notLoaded(String url, TimeoutException timeout) {
        return new AssertionError("GET " + url + " did not load in " + pageLoad.toSeconds() + " s; " + notAnswered()
                + "; on a new connection the server " + probe(url) + "; chromedriver's log: " + log, timeout);
    }

    /**
     * The page's stylesheets, scripts, images and frames that got no response (chromedriver has stopped the load by now,
     * so they count as loaded; a response start time of 0 tells them apart, as it does a cross-origin one), and its readyState.
     */
    private String notAnswered() {
        try {
            return "never answered: " + ((JavascriptExecutor) driver).executeScript("""
                    const done = new Set(performance.getEntriesByType('resource').filter(r => r.responseStart > 0).map(r => r.name));
                    const all = [...document.querySelectorAll('link[rel=stylesheet][href], script[src], img[src], iframe[src]')];
                    return all.map(e => e.href || e.src).filter(u => !done.has(u)) + ' (readyState ' + document.readyState + ')';
                    """);
        } catch (WebDriverException e) {
            return "the page could not be asked what got no response (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String probe(String url) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return "answered " + response.statusCode();
        } catch (IOException e) {
            return "did not answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "was not asked (interrupted)";
        }
    }

    /** The chromedriver process; Chromium runs under it. */
    ProcessHandle chromedriver() {
        return chromedriver;
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * This browser closed ({@link #close}) and another started as this one was, without asking this one anything: a test
     * class that shares one browser replaces it after a failed test, since a browser that hangs (alive, answering nothing)
     * would make every question cost Selenium's whole command timeout.
     */
    public Browser replaced() {
        close();
        return start(screenshots, pageLoad, command);
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

    /**
     * What a failed test can still learn of the page: a screenshot saved as {@code <screenshots>/<name>.png}, then the page's
     * address and source, asked for {@code time} at most, since a browser that hangs would cost a command timeout for each
     * question; if they did not come by then (or could not be had), a line that says so instead.
     */
    public String lastPage(String name, Duration time) {
        AtomicReference<String> page = new AtomicReference<>("(the browser showed no page within " + time.toSeconds() + " s: it may hang)");
        within(time, () -> {
            try {
                screenshot(name);
                page.set(driver.getCurrentUrl() + ":\n" + driver.getPageSource());
            } catch (UncheckedIOException | WebDriverException e) {
                page.set("(the browser could not show its page: " + e.getClass().getSimpleName() + ")");
            }
        });
        return page.get();
    }

    /**
     * Quits; if Selenium's quit has not returned within {@link #QUIT} (a Chromium that hangs lets chromedriver wait for it),
     * kills Chromium and chromedriver, whose quit then ends. A browser that died already is no failure.
     */
    @Override
    public void close() {
        if (!within(QUIT, this::quitQuietly)) {
            chromedriver.descendants().forEach(ProcessHandle::destroyForcibly);
            chromedriver.destroyForcibly();
        }
    }

    /**
     * Runs {@code action} (which asks this browser something) and waits for it up to {@code time}: false if it has not ended
     * by then, as with a browser that hangs; it then ends when the browser is closed.
     */
    public boolean within(Duration time, Runnable action) {
        Thread thread = Thread.ofVirtual().start(action);
        try {
            return thread.join(time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void quitQuietly() {
        try {
            driver.quit();
        } catch (WebDriverException gone) {
            // chromedriver or Chromium is gone (killed, crashed, or by close): nothing is left to quit
        }
    }
}
