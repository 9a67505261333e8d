package dev.nanolet.testsupport.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.TimeoutException;

/**
 * {@link Browser#open} against a page whose stylesheet is never answered, as in the CI's hang; a browser replaced; a hung one
 * closed. It tests test-support's {@link Browser} but runs in admin-ui (in {@code Browser}'s package, for its package-private
 * timeouts): its minute of Chromium starts and a command timeout waited out on purpose held test-support's build, which every
 * other module waits for, while admin-ui's suite runs beside e2e's, the longer one.
 */
class BrowserTest {
    private final CountDownLatch end = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        assumeFalse(Browser.skipRequested(), "NANOLET_SKIP_BROWSER=true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> answer(exchange, "text/html",
                "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/hangs.css\"></head><body><h1>Page</h1></body></html>"));
        server.createContext("/fine", exchange -> answer(exchange, "text/html", "<!DOCTYPE html><html><body><h1>Fine</h1></body></html>"));
        server.createContext("/hangs.css", exchange -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        end.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aPageThatNeverLoadsFailsSoonNamingTheResourceThatGotNoResponseAndKeepsChromedriversLog(@TempDir Path dir) throws IOException {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (Browser browser = Browser.start(dir.resolve("screenshots"), Duration.ofSeconds(3))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> browser.open(base + "/"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("GET " + base + "/ did not load in 3 s")
                    .hasMessageContaining("never answered: " + base + "/hangs.css (readyState complete)")
                    .hasMessageContaining("on a new connection the server answered 200")
                    .hasMessageContaining("chromedriver's log: " + dir.resolve("chromedriver"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

            browser.open(base + "/fine");
            assertThat(browser.driver().getTitle()).isEmpty();
            assertThat(browser.driver().getPageSource()).contains("Fine");
        }
        try (var logs = Files.list(dir.resolve("chromedriver"))) {
            assertThat(logs.toList()).singleElement().satisfies(log -> assertThat(Files.readString(log)).contains("Navigate"));
        }
    }

    /** A browser that no longer answers (quit here, as a killed one) is replaced by a new one, without failing. */
    @Test
    void aBrowserThatDiedIsReplacedByAnotherThatWorks(@TempDir Path dir) {
        Browser first = Browser.start(dir.resolve("screenshots"));
        first.close();

        try (Browser second = first.replaced()) {
            assertThat(second).isNotSameAs(first);
            second.open(fine());
            assertThat(second.driver().getPageSource()).contains("Fine");
        }
    }

    /**
     * A Chromium that hangs (stopped: alive, answering nothing) costs the command a test sent it one Selenium command timeout;
     * chromedriver then holds a quit behind that command, so quit alone cost a second one and left Chromium running. When
     * quit does not return within {@link Browser#QUIT}, Chromium, its children and chromedriver are killed: closing it costs
     * less than a command timeout (timed alone: a new Chromium's start, slow on a loaded machine, is not in it), and another
     * browser then works.
     */
    @Test
    void aStoppedChromiumCostsOneCommandTimeoutAndIsKilledWhenClosed(@TempDir Path dir) throws Exception {
        Duration command = Duration.ofSeconds(40);
        Browser hung = Browser.start(dir.resolve("screenshots"), Browser.PAGE_LOAD, command);
        hung.open(fine());
        ProcessHandle chromium = hung.chromedriver().children().findFirst().orElseThrow();
        List<ProcessHandle> all = chromium.descendants().toList();
        try {
            assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(chromium.pid())).start().waitFor()).isZero();
            assertThatThrownBy(() -> hung.driver().getWindowHandles()).as("the failing test's command").isInstanceOf(TimeoutException.class);

            long started = System.nanoTime();
            hung.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("closing it").isLessThan(command);
            await().atMost(Duration.ofSeconds(30)).until(() -> !hung.chromedriver().isAlive() && !chromium.isAlive()
                    && all.stream().noneMatch(ProcessHandle::isAlive));
            try (Browser next = Browser.start(dir.resolve("screenshots"))) {
                next.open(fine());
                assertThat(next.driver().getPageSource()).contains("Fine");
            }
        } finally {
            all.forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            hung.chromedriver().destroyForcibly();
        }
    }

    /** A failed test's last page comes with the page's address and source; from a hung browser, a line saying so, soon. */
    @Test
    void aFailedTestsLastPageIsShownOrSaidToBeMissingWithinItsBound(@TempDir Path dir) throws Exception {
        Duration command = Duration.ofSeconds(20);
        Browser hung = Browser.start(dir.resolve("screenshots"), Browser.PAGE_LOAD, command);
        try {
            hung.open(fine());
            assertThat(hung.lastPage("answering", Duration.ofSeconds(30))).startsWith(fine() + ":\n").contains("<h1>Fine</h1>");
            assertThat(dir.resolve("screenshots/answering.png")).isNotEmptyFile();
            ProcessHandle chromium = hung.chromedriver().children().findFirst().orElseThrow();
            assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(chromium.pid())).start().waitFor()).isZero();

            long started = System.nanoTime();
            assertThat(hung.lastPage("hung", Duration.ofSeconds(2))).isEqualTo("(the browser showed no page within 2 s: it may hang)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("asking a hung browser for its last page").isLessThan(command);
        } finally { // whichever step failed: no Chromium, stopped or not, outlives the test
            List<ProcessHandle> all = hung.chromedriver().descendants().toList();
            hung.close();
            all.forEach(ProcessHandle::destroyForcibly);
            hung.chromedriver().destroyForcibly();
        }
    }

    private String fine() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fine";
    }

    private static void answer(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
