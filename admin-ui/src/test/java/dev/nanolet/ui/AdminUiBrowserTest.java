package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nanolet.testsupport.GenerousAwaits;
import dev.nanolet.testsupport.browser.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The whole issue-4 flow in a real headless Chromium against the fake platform-api: sign in,
 * upload, deploy with 2 replicas, see them Running, try it, scale to 3, roll back, read the
 * log tail, delete. A screenshot of each step lands in {@code target/screenshots}.
 */
class AdminUiBrowserTest extends UiTest {
    private static final Duration WAIT = GenerousAwaits.AT_MOST;
    /** How long a failed test's browser is given to say what broke the Content-Security-Policy: it may hang. */
    private static final Duration FAILED_TESTS_VIOLATIONS = Duration.ofSeconds(10);
    /**
     * How long a failed wait's screenshot and page source may take: from a browser that hangs, they cost a command timeout
     * (90 s) each, on top of the one the wait itself cost.
     */
    private static final Duration LAST_PAGE = Duration.ofSeconds(15);
    private static Browser browser;
    private static WebDriver driver;
    /**
     * Whether the browser may be broken: from the start of each test's set-up until its test and clean-up have passed. A
     * test that failed may have failed because the browser hangs, and asking it anything costs Selenium's whole command
     * timeout, so it is asked only for a bounded moment and replaced.
     */
    private static boolean suspect;
    private PageWatch watch;

    @RegisterExtension
    static final AfterTestExecutionCallback TEST_OUTCOME = context -> suspect = context.getExecutionException().isPresent();

    /** One Chromium for the class: starting one took seconds of every test. */
    @BeforeAll
    static void startBrowser() {
        assumeFalse(Browser.skipRequested(), "NANOLET_SKIP_BROWSER=true");
        browser = Browser.start();
        driver = browser.driver();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /**
     * Each test has a tab of its own (no history, no session storage), no cookies, the desktop width, and a new watch; and a
     * new browser if the last one's clean-up did not pass.
     */
    @BeforeEach
    void openAFreshTab() {
        if (suspect) {
            replaceBrowser();
        }
        suspect = true;
        String previous = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        String fresh = driver.getWindowHandle();
        driver.switchTo().window(previous).close();
        driver.switchTo().window(fresh);
        ((ChromeDriver) driver).executeCdpCommand("Network.clearBrowserCookies", Map.of());
        browser.phoneWidth(false);
        watch = PageWatch.start(driver);
    }

    /**
     * Every flow here runs under the dashboard's Content-Security-Policy: nothing on its pages may break it. The tab then
     * leaves the dashboard, so that its polls do not reach the next test's platform-api.
     */
    @AfterEach
    void checkThePolicyAndLeave() {
        if (suspect) {
            failedTestsViolationsThenReplace();
            return;
        }
        suspect = true;
        List<String> violations = watch.violations();
        driver.get("about:blank");
        suspect = false;
        assertThat(violations).as("Content-Security-Policy violations").isEmpty();
    }

    /**
     * After a failed test, the violations its pages reported (a blocked script may be why it failed; JUnit adds them to
     * the test's failure), asked for {@link #FAILED_TESTS_VIOLATIONS} at most; then a new browser, so that the failed test's
     * tab, still on the dashboard, polls no more into the next test's platform-api.
     */
    private void failedTestsViolationsThenReplace() {
        List<String> violations = new CopyOnWriteArrayList<>();
        if (watch != null) { // null when the set-up failed before it
            browser.within(FAILED_TESTS_VIOLATIONS, () -> {
                try {
                    violations.addAll(watch.violations());
                } catch (WebDriverException unanswered) {
                    // a browser that died has nothing to say
                }
            });
        }
        replaceBrowser();
        assertThat(violations).as("Content-Security-Policy violations of the failed test").isEmpty();
    }

    private static void replaceBrowser() {
        browser = browser.replaced();
        driver = browser.driver();
        suspect = false;
    }

    @Test
    void deployWatchTryScaleRollBackReadLogsAndDelete(@TempDir Path dir) throws Exception {
        browser.open(baseUrl() + "/deployments");
        assertThat(driver.getCurrentUrl()).endsWith("/sign-in");
        browser.screenshot("01-sign-in");
        type(By.id("token"), FakePlatformApi.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();
        waitForText(By.tagName("h1"), "Deployments");

        driver.findElement(By.linkText("Overview")).click();
        waitForText(By.id("nodes-ready"), "1");
        browser.screenshot("02-overview");

        driver.findElement(By.linkText("New deployment")).click();
        Path wasm = Files.write(dir.resolve("hello.wasm"), Fixtures.EMPTY_WASM);
        driver.findElement(By.id("file")).sendKeys(wasm.toAbsolutePath().toString());
        driver.findElement(By.id("upload")).click();
        waitForText(By.id("selected-module"), "wasi_snapshot_preview1.fd_write");
        browser.screenshot("03-uploaded");

        type(By.id("name"), "hello");
        type(By.id("path"), "/hello");
        type(By.id("replicas"), "2");
        driver.findElement(By.id("create")).click();
        waitForText(By.cssSelector(".flash"), "Applied deployment default/hello.");
        browser.screenshot("04-deployment");
        browser.await(WAIT, d -> d.findElements(By.cssSelector("#replicas tr.phase-Running")).size() == 2);
        scrollTo("replicas");
        browser.screenshot("05-running");

        driver.findElement(By.id("try")).click();
        waitForText(By.id("try-status"), "200");
        assertThat(driver.findElement(By.id("try-body")).getText()).contains("Hello from /hello");
        browser.screenshot("06-try-it");

        type(By.id("scale-replicas"), "3");
        driver.findElement(By.id("scale")).click();
        waitForText(By.cssSelector(".flash"), "Scaled to 3 replicas.");
        browser.await(WAIT, d -> d.findElements(By.cssSelector("#replicas tr.phase-Running")).size() == 3);
        browser.screenshot("07-scaled");

        driver.findElement(By.id("edit")).click();
        waitForText(By.tagName("h1"), "Edit default/hello");
        type(By.id("env-name-0"), "GREETING");
        type(By.id("env-value-0"), "bonjour");
        driver.findElement(By.id("apply")).click();
        waitForText(By.cssSelector(".flash"), "Applied deployment default/hello.");
        click(By.id("rollback-1"));
        waitForText(By.cssSelector(".flash"), "Rolled back to revision 1.");
        browser.await(WAIT, d -> d.findElements(By.id("rollback-2")).size() == 1);
        browser.screenshot("08-rolled-back");

        waitForText(By.id("logs"), "hello line 1");
        waitForText(By.id("logs"), "served request");
        browser.await(WAIT, d -> !d.findElements(By.cssSelector("#metrics-chart canvas")).isEmpty());
        scrollTo("metrics-chart");
        browser.screenshot("09-logs-and-chart");

        driver.findElement(By.linkText("Nodes")).click();
        waitForText(By.id("nodes-live"), "node-2");
        browser.screenshot("10-nodes");
        driver.findElement(By.linkText("Modules")).click();
        waitForText(By.id("modules"), "default/hello");
        browser.screenshot("11-modules");

        browser.open(baseUrl() + "/deployments/default/hello");
        driver.findElement(By.id("delete")).click();
        waitForText(By.tagName("main"), "Delete default/hello?");
        browser.screenshot("12-delete-confirm");
        driver.findElement(By.id("confirm-delete")).click();
        waitForText(By.cssSelector(".flash"), "Deleted deployment default/hello.");
        assertThat(API.state().deployments).isEmpty();
        browser.screenshot("13-deleted");

        browser.phoneWidth(true);
        browser.open(baseUrl() + "/");
        waitForText(By.tagName("h1"), "Overview");
        browser.screenshot("14-overview-phone");
        driver.findElement(By.id("sign-out")).click();
        waitForText(By.cssSelector(".flash"), "You are signed out.");
    }

    /**
     * A browser drops the line break right after {@code <textarea>} and sends every line break back as CRLF: empty args
     * at either end and a multi-line env value still come back as the API stored them, and a new one is typed in a row.
     */
    @Test
    void theEditFormGivesBackEmptyArgsAndMultiLineEnvValuesAsTheyWere() {
        Fixtures.deploy(signedIn(), "hello", 1);
        var spec = API.state().deployments.get("default/hello").spec;
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        API.state().apply("default", "hello", new dev.nanolet.wire.DeploymentSpec(spec.module(), spec.http(), null, 1,
                List.of("", "a", "", ""), java.util.Map.of("CERT", pem, "LEAD", "\n\nx"), spec.limits(), spec.nodeSelector()));
        signInAt("/deployments/default/hello/edit");
        waitForText(By.tagName("h1"), "Edit default/hello");
        WebElement args = driver.findElement(By.id("args"));
        args.sendKeys(org.openqa.selenium.Keys.END, "b\n");
        type(By.id("env-name-2"), "NEW");
        driver.findElement(By.id("env-value-2")).sendKeys("one\ntwo");
        driver.findElement(By.id("apply")).click();
        waitForText(By.cssSelector(".flash"), "Applied deployment default/hello.");

        var now = API.state().deployments.get("default/hello").spec;
        assertThat(now.args()).containsExactly("", "a", "", "", "b");
        assertThat(now.env()).isEqualTo(java.util.Map.of("CERT", pem, "LEAD", "\n\nx", "NEW", "one\ntwo"));
    }

    @Test
    void theAdminMovesANodeAndDeletesIt() {
        browser.open(baseUrl() + "/nodes");
        type(By.id("token"), FakePlatformApi.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();
        waitForText(By.id("nodes-live"), "node-2");
        click(By.linkText("node-2"));
        waitForText(By.id("node-address"), "http://127.0.0.1:8182");

        type(By.id("address"), "http://169.254.169.254");
        driver.findElement(By.id("move")).click();
        waitForText(By.cssSelector(".flash"), "must not be a link-local or metadata address");
        assertThat(API.state().nodes.get("node-2").address()).isEqualTo("http://127.0.0.1:8182");

        type(By.id("address"), "http://10.0.0.9:8181");
        driver.findElement(By.id("move")).click();
        waitForText(By.cssSelector(".flash"), "Moved the node to http://10.0.0.9:8181.");
        waitForText(By.id("node-address"), "http://10.0.0.9:8181");
        assertThat(API.state().nodes.get("node-2").address()).isEqualTo("http://10.0.0.9:8181");
        browser.screenshot("20-node-moved");

        driver.findElement(By.id("delete-node")).click();
        waitForText(By.cssSelector(".flash"), "Deleted node node-2; its credential is revoked.");
        assertThat(API.state().nodes).doesNotContainKey("node-2");
        waitForText(By.id("nodes-live"), "node-1");
        assertThat(driver.findElement(By.id("nodes-live")).getText()).doesNotContain("node-2");
    }

    @Test
    void theAdminWritesASecretWhoseValuesAreNeverShownAndDeletesIt() {
        browser.open(baseUrl() + "/secrets?namespace=shop");
        type(By.id("token"), FakePlatformApi.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();
        click(By.linkText("Secrets"));
        // every secrets page says "No secrets" here: wait for each page's own URL before using its form
        browser.await(WAIT, d -> d.getCurrentUrl().endsWith("/secrets"));
        type(By.id("namespace-filter"), "shop");
        driver.findElement(By.cssSelector("#secrets-namespace button")).click();
        browser.await(WAIT, d -> d.getCurrentUrl().endsWith("/secrets?namespace=shop"));
        waitForText(By.tagName("main"), "No secrets in this namespace.");

        type(By.id("secret-name"), "db");
        type(By.id("secret-data"), "url=jdbc:postgresql://orders-db/orders\npassword=browser-typed-s3cret");
        driver.findElement(By.id("save-secret")).click();
        waitForText(By.cssSelector(".flash"), "Saved secret db (version 1).");
        waitForText(By.id("secret-db"), "password");
        assertThat(API.state().secrets.get("shop/db")).containsEntry("password", "browser-typed-s3cret");
        assertThat(driver.getPageSource()).doesNotContain("browser-typed-s3cret").doesNotContain("orders-db");
        assertThat(driver.findElement(By.id("secret-data")).getAttribute("value")).isEmpty();
        browser.screenshot("30-secret-saved");

        driver.findElement(By.id("delete-db")).click();
        waitForText(By.cssSelector(".flash"), "Deleted secret db.");
        assertThat(API.state().secrets).isEmpty();
    }

    /**
     * A link anyone can send an admin only picks which listed secret the form replaces, and the page names it and its
     * namespace: a name the table does not hold fills in nothing, not even after a forged {@code conflict}.
     */
    @Test
    void aLinkToTheSecretsPageFillsInNothingAndNamesWhatItReplaces() {
        signInAt("/secrets?namespace=shop&replace=prod-db&conflict=true");
        waitForText(By.id("secret-form-title"), "Create a secret in namespace shop");
        assertThat(driver.findElement(By.id("secret-name")).getAttribute("value")).isEmpty();
        assertThat(driver.findElement(By.id("secret-name")).getAttribute("readonly")).isNull();
        type(By.id("secret-name"), "db");
        type(By.id("secret-data"), "password=one");
        driver.findElement(By.id("save-secret")).click();
        waitForText(By.cssSelector(".flash"), "Saved secret db (version 1).");

        browser.open(baseUrl() + "/secrets?namespace=shop&replace=db");
        waitForText(By.id("secret-form-title"), "Replace secret db in namespace shop (version 1)");
        assertThat(driver.findElement(By.id("secret-replace-note")).getText())
                .contains("Saving replaces every key of secret db in namespace shop");
        assertThat(driver.findElement(By.id("secret-name")).getAttribute("value")).isEqualTo("db");
        assertThat(driver.findElement(By.id("secret-data")).getAttribute("value")).isEmpty();
        browser.screenshot("31-secret-replace");
        driver.findElement(By.id("create-instead")).click();
        waitForText(By.id("secret-form-title"), "Create a secret in namespace shop");
        assertThat(driver.findElement(By.id("secret-name")).getAttribute("value")).isEmpty();
    }

    /** Reload re-posts the form of the page that shows a new token's secret (headless Chromium asks nothing): no second token. */
    @Test
    void reloadingThePageThatShowsANewTokenCreatesNoSecondOne() {
        signInAt("/tokens");
        type(By.id("token-name"), "pipeline");
        type(By.id("token-grants"), "deployer@ci");
        driver.findElement(By.id("create-token-submit")).click();
        waitForText(By.id("issued"), "Token pipeline created");
        String secret = driver.findElement(By.id("issued-token")).getText();

        driver.navigate().refresh();

        waitForText(By.id("token-repeat"), "This form was already sent: token pipeline was created");
        browser.screenshot("40-token-form-sent-again");
        assertThat(driver.getPageSource()).doesNotContain(secret);
        assertThat(API.requests).filteredOn("POST /api/v1/tokens"::equals).hasSize(1);
        assertThat(API.state().tokens).hasSize(1);
    }

    /**
     * A double click on Create posts the form once (js/once.js disables its button as it is submitted): without that, the
     * browser cancels the first post, whose token is made, and shows the second's 409, so the secret is never seen. The
     * second click comes while platform-api still makes the token, as it does when a user's double click meets a slow one.
     */
    @Test
    void aDoubleClickOnCreateMakesOneTokenAndShowsItsSecret() {
        signInAt("/tokens");
        type(By.id("token-name"), "pipeline");
        type(By.id("token-grants"), "deployer@ci");
        API.holdTokenCreates();
        // chromedriver's actions wait for the page that is loading, which waits for the token: it is made a second later
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(API::releaseTokenCreates);

        new Actions(driver).click(driver.findElement(By.id("create-token-submit"))).pause(Duration.ofMillis(300)).click().perform();

        waitForText(By.id("issued"), "Token pipeline created");
        assertThat(driver.findElement(By.id("issued-token")).getText()).startsWith("nlt_");
        assertThat(driver.findElements(By.id("token-repeat"))).isEmpty();
        assertThat(API.requests).filteredOn("POST /api/v1/tokens"::equals).hasSize(1);
    }

    /**
     * A sent form's buttons come back when the browser shows its page again from the back/forward cache (Back after the
     * post): the page's {@code pageshow} with {@code persisted}, dispatched here since the dashboard's pages are no-store.
     */
    @Test
    void aSentFormsButtonComesBackWhenThePageIsShownAgainFromTheBackForwardCache() {
        signInAt("/tokens");
        type(By.id("token-name"), "pipeline");
        type(By.id("token-grants"), "deployer@ci");
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("window.addEventListener('submit', e => e.preventDefault())");

        driver.findElement(By.id("create-token-submit")).click();
        assertThat(driver.findElement(By.id("create-token-submit")).isEnabled()).isFalse();
        js.executeScript("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))");

        assertThat(driver.findElement(By.id("create-token-submit")).isEnabled()).isTrue();
        assertThat(API.requests).filteredOn("POST /api/v1/tokens"::equals).isEmpty();
    }

    /**
     * A roll-back button sits in the part of the deployment page refreshed every second: a refresh answered while its post
     * is on its way (held here by the test's own submit listener) does not put back an enabled button that a second click
     * would post again; once the button is back (Back to the page), the refreshes are swapped in again.
     */
    @Test
    void aRefreshOfTheDeploymentPageKeepsASentRollBackButtonDisabled() {
        Fixtures.deploy(signedIn(), "hello", 1);
        var first = API.state().deployments.get("default/hello").spec;
        API.state().apply("default", "hello", new dev.nanolet.wire.DeploymentSpec(first.module(), first.http(), null, 1, List.of("second"),
                first.env(), first.limits(), first.nodeSelector()));
        signInAt("/deployments/default/hello");
        browser.await(WAIT, d -> d.findElements(By.id("rollback-1")).size() == 1);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("window.addEventListener('submit', e => e.preventDefault()); window.refreshes = 0;"
                + "document.addEventListener('htmx:afterRequest', e => { if (e.detail.elt.classList.contains('live')) window.refreshes++; })");

        click(By.id("rollback-1"));
        // the first may have been asked before the click; the second was asked and answered after it
        browser.await(WAIT, d -> ((Number) js.executeScript("return window.refreshes")).intValue() >= 2);

        WebElement sent = driver.findElement(By.id("rollback-1"));
        assertThat(sent.isEnabled()).isFalse();
        js.executeScript("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))");
        browser.await(WAIT, org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(sent));
        assertThat(driver.findElement(By.id("rollback-1")).isEnabled()).isTrue();
        assertThat(API.requests).noneMatch(q -> q.endsWith("/rollback"));
    }

    /**
     * What a module's page on the dashboard's host name can do by script: plant its tenant's own
     * session for {@code /nodes}. Chromium then sends both cookies there; the dashboard uses neither,
     * clears both, and the admin signs in again to their own session, also under {@code /nodes}.
     * With a {@code ,} before the name, Chromium stores another name but sends what Spring reads as the same.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", ","})
    void aSessionPlantedByScriptForANarrowerPathIsNeverUsed(String prefix) {
        UiSession tenant = new UiSession(baseUrl());
        assertThat(tenant.signIn(FakePlatformApi.VIEWER_TOKEN).redirect()).isEqualTo("/");
        browser.open(baseUrl() + "/");
        type(By.id("token"), FakePlatformApi.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();
        waitForText(By.id("whoami"), "Signed in as admin");

        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "document.cookie = arguments[1] + 'NANOLET_SESSION=' + arguments[0] + ';path=/nodes'", tenant.sessionId(), prefix);
        browser.open(baseUrl() + "/nodes");
        waitForText(By.id("session-conflict"), "two dashboard sessions at once");
        assertThat(driver.getPageSource()).doesNotContain("Signed in as viewer");
        browser.screenshot("40-session-conflict");

        type(By.id("token"), FakePlatformApi.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();
        browser.open(baseUrl() + "/nodes");
        waitForText(By.id("whoami"), "Signed in as admin");
    }

    /**
     * The pages the other flows do not visit, and htmx's requests (polls, the in-page "try it", the log
     * stream), under the strict policy; then a script the page did not ship is blocked and reported,
     * so the watch sees what the policy refuses.
     */
    @Test
    void everyPageWorksUnderTheStrictContentSecurityPolicy() {
        String digest = Fixtures.deploy(signedIn(), "hello", 1);
        signInAt("/deployments/default/hello");
        waitForText(By.tagName("h1"), "default/hello");
        long swaps = watch.swaps();
        browser.await(WAIT, d -> watch.swaps() >= swaps + 2);
        driver.findElement(By.id("try")).click();
        waitForText(By.id("try-status"), "200");
        waitForText(By.id("logs"), "hello line 1");
        browser.await(WAIT, d -> !d.findElements(By.cssSelector("#metrics-chart canvas")).isEmpty());

        for (String page : List.of("/", "/deployments", "/deployments/new", "/deployments/default/hello/logs", "/deployments/default/hello/delete",
                "/modules", "/modules/" + digest, "/nodes", "/nodes/node-1", "/secrets", "/tokens", "/deployments/default/gone", "/no/such/page")) {
            browser.open(baseUrl() + page);
            browser.await(WAIT, d -> !d.findElements(By.tagName("h1")).isEmpty());
        }
        browser.open(baseUrl() + "/nodes");
        assertThat(driver.findElements(By.cssSelector("meter.bar"))).hasSize(4);
        assertThat(watch.violations()).as("what the dashboard's own pages did").isEmpty();

        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "const s = document.createElement('script'); s.textContent = 'document.body.dataset.inline = 1'; document.head.append(s)");
        browser.await(WAIT, d -> !watch.violations().isEmpty());
        assertThat(watch.violations()).singleElement().asString().startsWith("script-src");
        assertThat(driver.findElement(By.tagName("body")).getDomAttribute("data-inline")).as("the inline script never ran").isNull();
        watch.clear();
    }

    /**
     * htmx's trigger filter needs eval, which the policy forbids: {@code js/live.js} pauses the polls instead.
     * The page's own timers are the clock: once polls were cancelled while hidden, none of them reached platform-api.
     */
    @Test
    void livePartsAreNotPolledWhileTheTabIsHidden() {
        signInAt("/nodes");
        waitForText(By.id("nodes-live"), "node-2");

        long polled = whileHidden(2, this::nodeListings);

        assertThat(nodeListings()).as("no poll while hidden").isEqualTo(polled);
        visibility("visible");
        await().atMost(WAIT).until(() -> nodeListings() > polled);
    }

    /** The chart's own 5 s timer skips its loads while hidden, as the live part's 1 s polls are cancelled. */
    @Test
    void theChartIsNotLoadedWhileTheTabIsHidden() {
        Fixtures.deploy(signedIn(), "hello", 1);
        signInAt("/deployments/default/hello");
        browser.await(WAIT, d -> !d.findElements(By.cssSelector("#metrics-chart canvas")).isEmpty());

        long loaded = whileHidden(6, this::chartLoads);

        assertThat(chartLoads()).as("no load in the 6 s hidden").isEqualTo(loaded);
        visibility("visible");
        await().atMost(WAIT).until(() -> chartLoads() > loaded);
    }

    /** An entry's request id is a link to the entries of that request alone, whose id the filter form then shows. */
    @Test
    void anEntrysRequestIdLinksToTheEntriesOfThatRequest() {
        AuditPageTest.requests();
        signInAt("/audit");
        waitForText(By.id("audit"), "deploy-42");
        assertThat(driver.findElements(By.cssSelector("#audit tbody tr"))).hasSize(4);
        assertThat(driver.findElements(By.id("audit-4-request"))).as("masked: no id").isEmpty();

        driver.findElement(By.id("audit-1-request")).click();
        browser.await(WAIT, d -> d.findElements(By.cssSelector("#audit tbody tr")).size() == 2);
        assertThat(driver.getCurrentUrl()).endsWith("/audit?requestId=deploy-42");
        assertThat(driver.findElements(By.cssSelector("#audit tbody tr")).stream().map(e -> e.getAttribute("id")))
                .containsExactly("audit-2", "audit-1");
        assertThat(driver.findElement(By.id("audit-request-id")).getAttribute("value")).isEqualTo("deploy-42");
        browser.screenshot("audit-request");

        browser.open(baseUrl() + "/audit");
        driver.findElement(By.id("audit-3-request")).click();
        browser.await(WAIT, d -> d.findElements(By.cssSelector("#audit tbody tr")).size() == 1);
        assertThat(driver.findElement(By.cssSelector("#audit tbody tr")).getAttribute("id")).isEqualTo("audit-3");
    }

    /** The Audit page from the navigation: entries newest first, a filter, and the older link to the next page. */
    @Test
    void theAuditPageListsEntriesAndItsOlderLinkShowsTheNextPage() {
        AuditPageTest.log(150);
        signInAt("/");
        driver.findElement(By.id("nav-audit")).click();
        waitForText(By.id("audit"), "/api/v1/namespaces/shop/deployments/web-150");
        assertThat(driver.findElements(By.cssSelector("#audit tbody tr"))).hasSize(100);
        browser.screenshot("audit");

        driver.findElement(By.id("audit-older")).click();
        waitForText(By.id("audit-1"), "/api/v1/namespaces/ci/deployments/web-1");
        assertThat(driver.findElements(By.cssSelector("#audit tbody tr"))).hasSize(50);
        assertThat(driver.findElements(By.id("audit-older"))).isEmpty();

        type(By.id("audit-actor"), "ci-pipeline");
        driver.findElement(By.id("audit-filter")).click();
        waitForText(By.id("audit-149"), "ci-pipeline");
        assertThat(driver.findElement(By.cssSelector("#audit-149 td:nth-child(5)")).getText()).isEqualTo("422 · written 201");
        assertThat(driver.findElement(By.cssSelector("#audit-147 td:nth-child(5)")).getText()).isEqualTo("200");
        assertThat(driver.findElements(By.id("audit-150"))).isEmpty();
    }

    /**
     * Hides the tab, waits for the first cancelled poll of a live part (a request sent before has arrived by
     * then), takes {@code count}, then waits for {@code polls} more cancelled polls; answers the count taken.
     */
    private long whileHidden(int polls, java.util.function.LongSupplier count) {
        long cancelled = watch.cancelledPolls();
        visibility("hidden");
        browser.await(WAIT, d -> watch.cancelledPolls() > cancelled);
        long before = count.getAsLong();
        browser.await(WAIT, d -> watch.cancelledPolls() > cancelled + polls);
        return before;
    }

    private long chartLoads() {
        return API.requests.stream().filter(r -> r.startsWith("GET /api/v1/namespaces/default/deployments/hello/metrics?")).count();
    }

    /** Opens {@code path}, which sends the browser to sign in, and signs in as the admin (then back at {@code path}). */
    /**
     * Signs in from {@code path}'s sign-in redirect and waits until the browser shows {@code path}: the click may return
     * before the page after it has loaded, and a test that then looked for a field of it found none.
     */
    private void signInAt(String path) {
        browser.open(baseUrl() + path);
        type(By.id("token"), FakePlatformApi.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();
        browser.await(WAIT, d -> !d.getCurrentUrl().contains("/sign-in")
                && "complete".equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    private long nodeListings() {
        return API.requests.stream().filter("GET /api/v1/nodes"::equals).count();
    }

    /** What a browser says of a tab in the background ({@code hidden}) or in front ({@code visible}). */
    private void visibility(String state) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("""
                const state = arguments[0];
                Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => state});
                document.dispatchEvent(new Event('visibilitychange'));
                """, state);
    }

    private void scrollTo(String id) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    private void type(By by, String text) {
        WebElement input = driver.findElement(by);
        input.clear();
        input.sendKeys(text);
    }

    private void waitForText(By by, String text) {
        try {
            browser.await(WAIT, d -> d.findElements(by).stream().anyMatch(e -> {
                try {
                    return e.getText().contains(text);
                } catch (StaleElementReferenceException stale) {
                    return false;
                }
            }));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no \"" + text + "\" in " + by + " at " + browser.lastPage("failed", LAST_PAGE), e);
        }
    }

    /** Clicks an element that live updates may replace at any moment. */
    private void click(By by) {
        browser.await(WAIT, d -> {
            try {
                d.findElement(by).click();
                return true;
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return false;
            }
        });
    }
}
