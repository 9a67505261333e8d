package dev.nanolet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.DeploymentSpec;
import dev.nanolet.wire.DeploymentSpec.RestartPolicy;
import dev.nanolet.wire.ReplicaPhase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against a real platform-api, PostgreSQL, node agent
 * and admin-ui: the whole deploy-and-watch flow a user clicks through, a screenshot per page.
 */
class BrowserE2eTest {
    @RegisterExtension
    static final SharedPlatform shared = new SharedPlatform();
    static LocalPlatform platform;
    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();
    static String ui;
    static String nodeUrl;
    static ApiClient api;

    @BeforeAll
    static void start() {
        platform = shared.platform();
        nodeUrl = shared.node().url();
        ui = shared.ui().url();
        api = platform.client();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @Test
    void signInUploadDeployWatchTryScaleRollBackReadLogsAndDelete() {
        open("/");
        eventually().until(() -> !browser.driver().findElements(By.id("token")).isEmpty());
        browser.screenshot("sign-in");
        find("token").sendKeys(platform.adminToken);
        find("sign-in").click();
        eventually().until(() -> !browser.driver().findElements(By.id("sign-out")).isEmpty());
        browser.screenshot("overview");

        open("/deployments/new");
        find("file").sendKeys(Paths.example("hello").toString());
        find("upload").click();
        String digest = eventually().until(() -> find("selected-module").findElement(By.tagName("code")).getText(),
                text -> text.startsWith("sha256:"));
        assertThat(find("selected-module").getText()).contains("_start");
        browser.screenshot("module-uploaded");

        type("namespace", "browser");
        type("name", "hello");
        find("module").findElement(By.cssSelector("option[value='" + digest + "']")).click();
        browser.driver().findElement(By.cssSelector("input[name=kind][value=http]")).click();
        type("path", "/browser/hello");
        type("replicas", "2");
        browser.screenshot("new-deployment");
        find("create").click();
        eventually().until(() -> browser.driver().getCurrentUrl().endsWith("/deployments/browser/hello"));
        awaitRunningRows(2);
        browser.screenshot("deployment-running");

        find("try").click();
        eventually().until(() -> find("try-status").getText().equals("200"));
        assertThat(find("try-body").getText()).contains("Hello from Wasm");
        browser.screenshot("try-it");

        type("scale-replicas", "3");
        find("scale").click();
        awaitRunningRows(3);
        assertThat(api.get("browser", "hello").spec().replicas()).isEqualTo(3);
        browser.screenshot("scaled-to-3");

        DeploymentSpec current = api.get("browser", "hello").spec();
        api.apply("browser", "hello", new DeploymentSpec(current.module(), current.http(), null, 3, current.args(),
                Map.of("GREETING", "revision 2"), current.limits(), current.nodeSelector()));
        clickLive("rollback-1");
        eventually().until(() -> api.get("browser", "hello").revision() == 3);
        assertThat(api.get("browser", "hello").spec().env()).isEmpty();
        eventually().until(() -> browser.driver().findElements(By.cssSelector("#revisions tbody tr")).size() == 3);
        eventually().atMost(Duration.ofSeconds(60)).until(() -> api.replicas("browser", "hello"),
                rs -> rs.size() == 3 && rs.stream().allMatch(r -> r.revision() == 3 && r.phase() == ReplicaPhase.Running));
        awaitRunningRows(3);
        eventually().until(() -> find("status-summary").getText().contains("3 available"));
        browser.screenshot("rolled-back");

        api.apply("browser", "job", new DeploymentSpec(digest(Paths.example("job")), null,
                new DeploymentSpec.JobSpec(RestartPolicy.Never), 1, java.util.List.of("0"), Map.of(), null, Map.of()));
        eventually().until(() -> api.replicas("browser", "job"), rs -> rs.size() == 1 && rs.getFirst().phase() == ReplicaPhase.Succeeded);
        eventually().untilAsserted(() -> {
            open("/deployments/browser/job/logs");
            assertThat(find("log-page").getText()).contains("job finished").contains("arg[1]=0");
        });
        browser.screenshot("log-tail");

        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("deployments", "browser");
        pages.put("modules", "hello");
        pages.put("nodes", "node-1");
        pages.put("", "1");
        pages.forEach((page, text) -> {
            open("/" + page);
            assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains(text);
            browser.screenshot(page.isEmpty() ? "overview-with-deployments" : page);
        });

        open("/deployments/browser/hello");
        find("delete").click();
        browser.screenshot("delete-confirm");
        find("confirm-delete").click();
        eventually().until(() -> !api.exists("browser", "hello"));
        assertThat(browser.driver().getCurrentUrl()).doesNotEndWith("/deployments/browser/hello");
        browser.screenshot("deleted");
    }

    /**
     * The worst layout: dashboard and node agent on one host name (here both localhost), so the
     * browser sends the dashboard's session cookie to every route. A hostile module that prints its
     * environment and answers {@code Set-Cookie: NANOLET_SESSION=…} must neither see the session
     * nor replace it (docs/security.md, "Data plane").
     */
    @Test
    void aModuleOnTheDashboardsHostCanNeitherReadNorPlantTheDashboardsSession() {
        signInAsAdmin();
        String session = browser.driver().manage().getCookieNamed("NANOLET_SESSION").getValue();
        api.apply("browser", "plant", Specs.http(digest(Paths.root().resolve("examples/fixtures/plant-cookie.wasm")), "/plant", 1));

        eventually().atMost(Duration.ofSeconds(60)).until(() -> {
            browser.open(nodeUrl + "/plant/x");
            return browser.driver().getPageSource().contains("SCRIPT_NAME=/plant");
        });
        browser.screenshot("hostile-module");
        assertThat(browser.driver().getPageSource()).doesNotContain(session).doesNotContain("NANOLET_SESSION");

        open("/");
        assertThat(browser.driver().manage().getCookieNamed("NANOLET_SESSION").getValue()).isEqualTo(session);
        eventually().until(() -> !browser.driver().findElements(By.id("sign-out")).isEmpty());
        api.delete("browser", "plant");
        browser.driver().manage().deleteAllCookies(); // the other test starts signed out
    }

    /**
     * The scale form carries the resourceVersion its page showed, as {@code If-Match}: a scale a pipeline made after the page
     * was opened is not overwritten; platform-api's 412 is shown, and from the page as it is now the scale goes through.
     */
    @Test
    void aScaleFromAPageOpenedBeforeAPipelinesScaleIsRefusedNotApplied() {
        signInAsAdmin();
        api.apply("conflict", "web", Specs.http(digest(Paths.example("hello")), "/conflict", 0));
        open("/deployments/conflict/web");
        eventually().until(() -> !browser.driver().findElements(By.id("scale-form")).isEmpty());
        api.scale("conflict", "web", 1);

        type("scale-replicas", "2");
        find("scale").click();
        eventually().until(() -> browser.driver().findElement(By.cssSelector(".flash")).getText()
                .contains("Not scaled to 2: someone else changed this deployment since you opened the page."));
        browser.screenshot("scale-conflict");
        assertThat(api.get("conflict", "web").spec().replicas()).isEqualTo(1);

        type("scale-replicas", "0");
        find("scale").click();
        eventually().until(() -> api.get("conflict", "web").spec().replicas() == 0);
        api.delete("conflict", "web");
        browser.driver().manage().deleteAllCookies(); // the other tests start signed out
    }

    /** A viewer's dashboard says who it is and shows no deploy, scale, roll back or delete; platform-api decides anyway. */
    @Test
    void aViewerTokenSeesWhoItIsAndNoActionItMayNotTake() {
        browser.driver().manage().deleteAllCookies();
        api.apply("viewed", "web", Specs.http(digest(Paths.example("hello")), "/viewed", 1));
        String viewer = api.createToken(new dev.nanolet.wire.TokenRequest("reader",
                java.util.List.of(new dev.nanolet.wire.Grant(dev.nanolet.wire.Role.viewer, null)), 3600L));

        open("/");
        eventually().until(() -> !browser.driver().findElements(By.id("token")).isEmpty());
        find("token").sendKeys(viewer);
        find("sign-in").click();
        eventually().until(() -> !browser.driver().findElements(By.id("whoami")).isEmpty());
        assertThat(find("whoami").getText()).isEqualTo("Signed in as reader: viewer (cluster-wide)");
        assertThat(browser.driver().findElements(By.id("nav-tokens"))).isEmpty();

        open("/deployments/viewed/web");
        eventually().until(() -> browser.driver().getPageSource().contains("viewed/web"));
        browser.screenshot("viewer-deployment");
        assertThat(browser.driver().findElements(By.id("scale-form"))).isEmpty();
        assertThat(browser.driver().findElements(By.id("delete"))).isEmpty();
        api.delete("viewed", "web");
        browser.driver().manage().deleteAllCookies(); // the other tests start signed out
    }

    /** Signs in with the admin token, unless this browser already is. */
    private static void signInAsAdmin() {
        open("/");
        eventually().until(() -> !browser.driver().findElements(By.id("token")).isEmpty()
                || !browser.driver().findElements(By.id("sign-out")).isEmpty());
        if (!browser.driver().findElements(By.id("token")).isEmpty()) {
            find("token").sendKeys(platform.adminToken);
            find("sign-in").click();
            eventually().until(() -> !browser.driver().findElements(By.id("sign-out")).isEmpty());
        }
    }

    private static String digest(java.nio.file.Path wasm) {
        return api.upload(wasm).digest();
    }

    private static void awaitRunningRows(int n) {
        eventually().atMost(Duration.ofSeconds(60))
                .until(() -> browser.driver().findElements(By.cssSelector("#replicas tr.replica.phase-Running")).size() == n);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
    }

    private static void open(String path) {
        browser.open(ui + path);
    }

    /**
     * Clicks {@code id} in the deployment page's live part, once it is there: the part is swapped every second, and an
     * element found just before a swap is stale when clicked (a stale click clicks nothing, so it is tried again).
     */
    private static void clickLive(String id) {
        eventually().until(() -> {
            find(id).click();
            return true;
        });
    }

    private static WebElement find(String id) {
        return browser.driver().findElement(By.id(id));
    }

    private static void type(String id, String text) {
        WebElement field = find(id);
        field.clear();
        field.sendKeys(text);
    }
}
