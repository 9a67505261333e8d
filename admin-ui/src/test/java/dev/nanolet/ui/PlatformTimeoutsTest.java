package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each kind of call to platform-api has the time bound that fits it: a page's call its timeout (2 s here), a log tail and
 * an import or upload longer ones (5 s and 6 s here), and a followed log none.
 */
class PlatformTimeoutsTest extends ShortLimitsTest {
    private static final String PAGE = "/deployments/default/hello";
    /** Longer than {@code nanolet.platform.timeout} here. */
    private static final Duration PAST_THE_TIMEOUT = Duration.ofSeconds(3);

    /**
     * platform-api answers an import only once it has pulled the image, which may take its whole import deadline: the
     * page waits for that (import-timeout) rather than the timeout of every other call, which said the import failed
     * while it went on and succeeded.
     */
    @Test
    void anImportSlowerThanThePlatformTimeoutIsWaitedForAndSucceeds() {
        UiSession session = signedIn();
        API.delayModules(PAST_THE_TIMEOUT);

        String digest = Fixtures.importImage(session, "registry.example/team/hello:1.0");

        assertThat(session.page("/deployments/new?module=" + digest)).contains("Imported module registry.example/team/hello:1.0")
                .doesNotContain("did not answer within");
    }

    /**
     * platform-api answers an upload once it has parsed the module, which may take its parse timeout (10 s) plus a wait
     * for a parser: the page waits for that as for an import, rather than saying the upload failed while it succeeded.
     */
    @Test
    void anUploadSlowerThanThePlatformTimeoutIsWaitedForAndSucceeds() {
        UiSession session = signedIn();
        API.delayModules(PAST_THE_TIMEOUT);

        String digest = Fixtures.upload(session);

        assertThat(session.page("/deployments/new?module=" + digest)).contains("Uploaded module " + digest).doesNotContain("did not answer within");
    }

    /** The longer wait has its bound: past import-timeout the page says so, naming it, not the 2 s of other calls. */
    @Test
    void anUploadLongerThanTheImportTimeoutIsCutThere() {
        UiSession session = signedIn();
        API.delayModules(Duration.ofSeconds(30));

        UiSession.Response r = session.upload("hello.wasm", Fixtures.EMPTY_WASM);

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("platform-api is not reachable").contains("did not answer within 6000 ms");
    }

    @Test
    void aLogTailThatNeverEndsIsThePlatformTimeoutPageButTheFollowStreamKeepsGoing() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.stallLogs();

        UiSession.Response page = session.get(PAGE + "/logs");
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.body()).contains("platform-api is not reachable").contains("did not answer within 5000 ms");

        int lines = 3 + FakePlatformApi.FOLLOWED_LINES;
        try (OpenLogStream stream = OpenLogStream.open(baseUrl(), session, PAGE)) {
            await().until(() -> stream.lines().size() >= lines);
            await().failFast("the stream was cut", () -> stream.ended().get() || stream.lines().size() > lines)
                    .during(PAST_THE_TIMEOUT).until(() -> !stream.ended().get());
            assertThat(stream.lines()).as("quiet past the platform timeout, and not cut").noneMatch(e -> e.contains("interrupted"));
        }
    }

    /** platform-api sends the tail only when every node's is read: one dead node holds it up to 15 s, longer than a call may take. */
    @Test
    void aLogTailSlowerThanThePlatformTimeoutIsStillShown() {
        UiSession session = signedIn();
        Fixtures.deploy(session, "hello", 1);
        API.delayLogTail(PAST_THE_TIMEOUT);

        assertThat(session.page(PAGE + "/logs")).contains("hello line 3");
    }
}
