package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nanolet.wire.DeploymentSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two operators change one object (a deployment, a secret, a node's labels or address), each from the page they opened: a write carries the resource version its page was
 * rendered from ({@code If-Match}), a create {@code If-None-Match: *}, so the later one is refused with a message that
 * says why, and nothing the first one wrote is overwritten; from the page as it is now, the write goes through.
 */
class ConflictingEditsTest extends UiTest {
    private static final String PAGE = "/deployments/default/hello";
    private static final String API_DEP = "/api/v1/namespaces/default/deployments/hello";
    private static final String SECRETS = "/secrets?namespace=shop";
    private static final String NODE = "/nodes/node-2";
    private static final String TIER = "node-restriction.nanolet.dev/tier";
    private static final Pattern VERSION = Pattern.compile("name=\"resourceVersion\" value=\"([^\"]*)\"");

    @Test
    void aScaleFromAPageOpenedBeforeAnotherOperatorsScaleIsRefusedAndOverwritesNothing() {
        UiSession alice = signedIn();
        Fixtures.deploy(alice, "hello", 2);
        UiSession bob = signedIn();
        String stale = version(alice.page(PAGE), "scale-form");

        bob.post(PAGE, PAGE + "/scale", Map.of("replicas", "3", "resourceVersion", version(bob.page(PAGE), "scale-form"))).redirect();
        assertThat(alice.post(PAGE, PAGE + "/scale", Map.of("replicas", "5", "resourceVersion", stale)).redirect()).isEqualTo(PAGE);

        assertThat(API.conditions).contains("PUT " + API_DEP + "/scale If-Match: \"" + stale + "\"");
        assertThat(replicas()).isEqualTo(3);
        String now = alice.page(PAGE);
        assertThat(now).contains("Not scaled to 5: someone else changed this deployment since you opened the page.")
                .contains("id=\"scale-replicas\" value=\"3\"");

        alice.post(PAGE, PAGE + "/scale", Map.of("replicas", "5", "resourceVersion", version(now, "scale-form"))).redirect();
        assertThat(replicas()).isEqualTo(5);
        assertThat(alice.page(PAGE)).contains("Scaled to 5 replicas.");
    }

    @Test
    void aRollbackFromAPageOpenedBeforeAnotherChangeIsRefused() {
        UiSession alice = signedIn();
        Fixtures.deploy(alice, "hello", 1);
        var first = API.state().deployments.get("default/hello").spec;
        API.state().apply("default", "hello", new DeploymentSpec(first.module(), first.http(), null, 1, List.of("second"), first.env(),
                first.limits(), first.nodeSelector()));
        String stale = version(alice.page(PAGE), "rollback-1");
        API.state().scale(API.state().deployments.get("default/hello"), 2);

        alice.post(PAGE, PAGE + "/rollback", Map.of("revision", "1", "resourceVersion", stale)).redirect();

        assertThat(API.conditions).contains("POST " + API_DEP + "/rollback If-Match: \"" + stale + "\"");
        assertThat(API.state().deployments.get("default/hello").revision).isEqualTo(2);
        String now = alice.page(PAGE);
        assertThat(now).contains("Nothing was changed: someone else changed this since you opened the page.");

        alice.post(PAGE, PAGE + "/rollback", Map.of("revision", "1", "resourceVersion", version(now, "rollback-1"))).redirect();
        assertThat(API.state().deployments.get("default/hello").revision).isEqualTo(1);
    }

    @Test
    void aDeleteConfirmedOnAPageOpenedBeforeAnotherChangeDeletesNothing() {
        UiSession alice = signedIn();
        Fixtures.deploy(alice, "hello", 1);
        String stale = version(alice.page(PAGE + "/delete"), "confirm-delete");
        API.state().scale(API.state().deployments.get("default/hello"), 4);

        assertThat(alice.post(PAGE, PAGE + "/delete", Map.of("resourceVersion", stale)).redirect()).isEqualTo(PAGE);

        assertThat(API.conditions).contains("DELETE " + API_DEP + " If-Match: \"" + stale + "\"");
        assertThat(API.state().deployments).containsKey("default/hello");
        assertThat(alice.page(PAGE)).contains("Nothing was changed: someone else changed this since you opened the page.");

        String current = version(alice.page(PAGE + "/delete"), "confirm-delete");
        assertThat(alice.post(PAGE, PAGE + "/delete", Map.of("resourceVersion", current)).redirect()).isEqualTo("/deployments");
        assertThat(API.state().deployments).isEmpty();
    }

    @Test
    void theNewDeploymentFormNeverReplacesADeploymentOfTheSameNameAndKeepsWhatWasTyped() {
        UiSession alice = signedIn();
        String digest = Fixtures.deploy(alice, "hello", 2);
        UiSession.Response r = signedIn().post("/deployments/new", "/deployments",
                Fixtures.httpForm("hello", digest, 7, Map.of("envValue", "from-bob")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"error-name\"").contains("a deployment default/hello already exists: nothing was changed.")
                .contains(">\nfrom-bob</textarea>").contains("value=\"7\"");
        assertThat(API.conditions).contains("PUT " + API_DEP + " If-None-Match: *");
        assertThat(replicas()).isEqualTo(2);
        assertThat(API.state().deployments.get("default/hello").spec.env()).containsEntry("GREETING", "hello");
    }

    @Test
    void anEditFromAFormOpenedBeforeAnotherChangeIsRefusedWithWhatWasTypedKept() {
        UiSession alice = signedIn();
        Fixtures.deploy(alice, "hello", 2);
        var stored = API.state().deployments.get("default/hello").spec;
        API.state().apply("default", "hello", new DeploymentSpec(stored.module(), stored.http(), null, 2, stored.args(), stored.env(),
                stored.limits(), stored.nodeSelector(), 120));
        String form = alice.page(PAGE + "/edit");
        assertThat(form).contains("Edit default/hello").contains("value=\"GREETING\"").contains(">\nhello</textarea>").contains("id=\"name\" value=\"hello\" placeholder=\"hello\" readonly")
                .doesNotContain("id=\"upload\"");
        String stale = version(form, "apply");
        API.state().scale(API.state().deployments.get("default/hello"), 4);
        UiSession.Response r = alice.post(PAGE + "/edit", "/deployments",
                Fixtures.httpForm("hello", stored.module(), 2, Map.of("envValue", "alice", "resourceVersion", stale)));

        assertThat(API.conditions).contains("PUT " + API_DEP + " If-Match: \"" + stale + "\"");
        assertThat(r.status()).isEqualTo(200);
        String current = API.state().deployments.get("default/hello").resourceVersion;
        assertThat(current).isNotEqualTo(stale);
        assertThat(r.body()).contains("Not applied: someone else changed deployment default/hello since you opened this form")
                .contains("What is shown above is the deployment as it is now, with their change; what you typed is kept in the form. "
                        + "Applying it again replaces their change with what you typed.")
                .contains("As it is now (version " + current + ")").contains("id=\"current-replicas\">4<").contains("GREETING=hello")
                .contains(">\nalice</textarea>").contains("id=\"replicas\" value=\"2\"");
        assertThat(version(r.body(), "apply")).as("the form carries the version shown above").isEqualTo(current);
        assertThat(replicas()).isEqualTo(4);
        assertThat(API.state().deployments.get("default/hello").spec.env()).containsEntry("GREETING", "hello");

        assertThat(alice.post(PAGE + "/edit", "/deployments",
                Fixtures.httpForm("hello", stored.module(), 2, Map.of("envValue", "alice", "resourceVersion", version(r.body(), "apply"))))
                .redirect()).as("saving the refused form again").isEqualTo(PAGE);
        DeploymentSpec now = API.state().deployments.get("default/hello").spec;
        assertThat(now.env()).containsEntry("GREETING", "alice");
        assertThat(now.replicas()).as("their change replaced by what was typed").isEqualTo(2);
        assertThat(now.progressDeadlineSeconds()).as("what the form does not show is kept").isEqualTo(120);
    }

    @Test
    void anEditRefusedWithADeploymentDeletedBeforeItCouldBeShownSaysSoAndClaimsNoCurrentVersion() {
        UiSession alice = signedIn();
        Fixtures.deploy(alice, "hello", 2);
        var stored = API.state().deployments.get("default/hello").spec;
        String stale = version(alice.page(PAGE + "/edit"), "apply");
        API.state().scale(API.state().deployments.get("default/hello"), 4);
        API.failOnceAfter("PUT " + API_DEP, 404);

        UiSession.Response r = alice.post(PAGE + "/edit", "/deployments",
                Fixtures.httpForm("hello", stored.module(), 2, Map.of("envValue", "alice", "resourceVersion", stale)));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("Not applied: deployment default/hello was deleted since you opened this form")
                .doesNotContain("What is shown above").doesNotContain("id=\"current\"").contains(">\nalice</textarea>");
        assertThat(version(r.body(), "apply")).isEqualTo(stale);
    }

    @Test
    void creatingASecretThatSomeoneCreatedMeanwhileKeepsTheirsUntilSavedAgainAsAReplace() {
        UiSession alice = signedIn();
        UiSession bob = signedIn();
        assertThat(alice.page(SECRETS)).doesNotContain("name=\"resourceVersion\"");
        bob.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=bob")).redirect();

        String refused = alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=alice")).redirect();

        assertThat(API.conditions).contains("PUT /api/v1/namespaces/shop/secrets/db If-None-Match: *");
        assertThat(API.state().secrets.get("shop/db")).isEqualTo(Map.of("password", "bob"));
        assertThat(refused).as("a page to GET, which a reload shows again without posting anything").doesNotContain("alice");
        String page = alice.page(refused);
        assertThat(alice.page(refused)).as("reloaded").contains("id=\"secret-conflict\"");
        assertThat(page).contains("Nothing was saved: someone else created or changed secret db since you opened this page")
                .contains("Replace secret db in namespace shop (version 1)").contains("value=\"db\" readonly").doesNotContain("password=alice");

        alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=alice",
                "resourceVersion", version(page, "secret-form"))).redirect();
        assertThat(API.state().secrets.get("shop/db")).isEqualTo(Map.of("password", "alice"));
    }

    /**
     * {@code conflict=true} in an address is a link anyone can send: it says that someone else changed or deleted a secret
     * only after this session's save of that very secret was refused, never for a name typed into the link.
     */
    @Test
    void aLinkThatSaysConflictMakesThePageSayNothingThatDidNotHappen() {
        UiSession alice = signedIn();
        alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=one")).redirect();
        for (String forged : List.of("ANY", "db")) {
            assertThat(alice.page(SECRETS + "&replace=" + forged + "&conflict=true")).as(forged)
                    .doesNotContain("id=\"secret-conflict\"").doesNotContain("someone else");
        }

        String refused = alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=two")).redirect();

        assertThat(alice.page(refused)).contains("id=\"secret-conflict\"");
        assertThat(alice.page(SECRETS + "&replace=ANY&conflict=true")).as("another name").doesNotContain("id=\"secret-conflict\"");
        assertThat(signedIn().page(refused)).as("another session").doesNotContain("id=\"secret-conflict\"");
        alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=two",
                "resourceVersion", version(alice.page(refused), "secret-form"))).redirect();
        assertThat(alice.page(refused)).as("once saved").doesNotContain("id=\"secret-conflict\"");
    }

    /**
     * A secret's conflict is its own: saving another secret (in another tab) leaves it said on a reload, and only a save of
     * that secret ends it. A session that has many saves refused remembers the latest {@code RefusedSaves.KEPT} only.
     */
    @Test
    void aSaveOfAnotherSecretLeavesTheConflictOfOneSaid() {
        UiSession alice = signedIn();
        signedIn().post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "a", "data", "password=bob")).redirect();
        String refused = alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "a", "data", "password=alice")).redirect();

        alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "c", "data", "password=alice")).redirect();

        assertThat(API.state().secrets).containsKey("shop/c");
        assertThat(alice.page(refused)).as("after a save of c").contains("id=\"secret-conflict\"");
        alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "a", "data", "password=alice",
                "resourceVersion", version(alice.page(refused), "secret-form"))).redirect();
        assertThat(alice.page(refused)).as("after a save of a").doesNotContain("id=\"secret-conflict\"");

        for (int i = 0; i <= 16; i++) {
            signedIn().post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "s" + i, "data", "k=v")).redirect();
            alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "s" + i, "data", "k=w")).redirect();
        }
        assertThat(alice.page(SECRETS + "&replace=s16&conflict=true")).as("the latest").contains("id=\"secret-conflict\"");
        assertThat(alice.page(SECRETS + "&replace=s1&conflict=true")).as("the 16th latest").contains("id=\"secret-conflict\"");
        assertThat(alice.page(SECRETS + "&replace=s0&conflict=true")).as("the 17th latest").doesNotContain("id=\"secret-conflict\"");
    }

    /**
     * A delete of the secret whose save was refused ends its conflict as a save of it does: reloading that page (Back, say)
     * said that someone else had deleted the secret that this session had just deleted itself.
     */
    @Test
    void deletingTheSecretWhoseSaveWasRefusedEndsItsConflict() {
        UiSession alice = signedIn();
        String refused = refusedSaveOfA(alice);

        alice.post(refused, "/secrets/shop/a/delete", Map.of("resourceVersion", version(alice.page(refused), "delete-a"))).redirect();

        assertThat(API.state().secrets).doesNotContainKey("shop/a");
        assertThat(alice.page(refused)).as("after its delete").doesNotContain("id=\"secret-conflict\"").doesNotContain("someone else");
    }

    /**
     * A create refused because someone had made the secret, then made by this session once they deleted it: the refused
     * tab's page, reloaded, no longer says that its save was refused. Both creates were sent with If-None-Match, and a
     * success sent with the refusal's condition was taken as one that raced it, which kept the refusal said.
     */
    @Test
    void aCreateTakenAfterTheSecretWasDeletedEndsTheConflictOfTheRefusedOne() {
        UiSession alice = signedIn();
        String refused = refusedSaveOfA(alice);
        UiSession bob = signedIn();
        bob.post(SECRETS, "/secrets/shop/a/delete", Map.of("resourceVersion", version(bob.page(SECRETS), "delete-a"))).redirect();

        assertThat(alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "a", "data", "password=alice")).redirect())
                .doesNotContain("conflict");

        assertThat(alice.page(refused)).doesNotContain("id=\"secret-conflict\"").doesNotContain("someone else");
    }

    /**
     * A refused save is the token's that made it: another token signing in later in the same browser (and session) is told
     * nothing of it, nor is the same token signing in again after a sign-out.
     */
    @Test
    void anotherTokenSigningInInTheSameBrowserSeesNoneOfThePreviousTokensConflicts() {
        UiSession browser = signedIn();
        String refused = refusedSaveOfA(browser);

        assertThat(browser.signIn(FakePlatformApi.DEPLOYER_TOKEN).location()).isEqualTo("/");
        assertThat(browser.page(refused)).as("another token").contains("id=\"secret-form\"").doesNotContain("id=\"secret-conflict\"")
                .doesNotContain("someone else");

        assertThat(browser.post(refused, "/sign-out", Map.of()).redirect()).isEqualTo("/sign-in?signedOut");
        assertThat(browser.signIn(FakePlatformApi.ADMIN_TOKEN).location()).isEqualTo("/");
        assertThat(browser.page(refused)).as("the first token again").doesNotContain("id=\"secret-conflict\"");
    }

    /**
     * A save the previous token sent, still under way when another token signs in in the same browser, is answered 412
     * after that sign-in: its refusal is the previous token's, and the page the new one is sent to says nothing of it. The
     * sign-in forgot the session's refusals before the answer came, which then wrote it into the new token's session.
     */
    @Test
    void aRefusalAnsweredAfterAnotherTokenSignedInIsNotTheNewTokensToBeTold() {
        UiSession browser = signedIn();
        signedIn().post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "a", "data", "password=bob")).redirect();

        String refused = savedByATabAndAnsweredAfterTheDeployerSignedIn(browser);

        assertThat(refused).contains("conflict=true");
        assertThat(browser.page(refused)).contains("id=\"secret-form\"").doesNotContain("id=\"secret-conflict\"").doesNotContain("someone else");
    }

    /**
     * The same with a save that goes through: its flash message ("Saved secret a.") is the previous token's, and the new
     * one's next page shows none. The sign-in forgot the session's flash, then the late answer put it back.
     */
    @Test
    void aSaveAnsweredAfterAnotherTokenSignedInLeavesTheNewTokenNoMessage() {
        UiSession browser = signedIn();

        String saved = savedByATabAndAnsweredAfterTheDeployerSignedIn(browser);

        assertThat(saved).doesNotContain("conflict");
        assertThat(browser.page(saved)).contains("id=\"replace-a\"").doesNotContain("Saved secret a");
    }

    /**
     * The previous token's answer coming before any page of the new sign-in has made a CSRF token leaves that sign-in its
     * session: the browser's next page is the deployer's. The answer's redirect resolved its model's CSRF token, which made
     * one (the sign-in had dropped the old), and Spring Security gives the session a new id whenever it saves one: the
     * browser's cookie then named no session and the page went to sign in. Seen failing so on the code before.
     */
    @Test
    void anAnswerOfThePreviousTokenLeavesTheNewSignInItsSession() {
        UiSession browser = signedIn();

        String saved = savedByATabAndAnsweredAfterTheDeployerSignedIn(browser, API::release);

        assertThat(saved).doesNotContain("conflict");
        assertThat(browser.page(saved)).contains("id=\"replace-a\"").doesNotContain("Saved secret a");
    }

    /**
     * A tab of {@code browser}'s (its cookie) creates secret a in shop; while platform-api holds the answer, the deployer
     * signs in in the browser and its page refreshes, then the answer comes: where the tab was sent.
     */
    private String savedByATabAndAnsweredAfterTheDeployerSignedIn(UiSession browser) {
        return savedByATabAndAnsweredAfterTheDeployerSignedIn(browser, () -> assertThat(browser.htmx("/secrets?namespace=ci").status())
                .as("a refresh, which takes no flash message").isEqualTo(200));
    }

    /**
     * The same, with {@code meanwhile} what the browser does once the deployer has signed in; the save is answered when it
     * asks for the secrets of ci, or when it releases the save itself.
     */
    private String savedByATabAndAnsweredAfterTheDeployerSignedIn(UiSession browser, Runnable meanwhile) {
        UiSession tab = new UiSession(baseUrl());
        tab.plant(browser.sessionId());
        String form = tab.csrfFrom(SECRETS);
        browser.plant(tab.sessionId());
        API.requests.clear();
        API.holdUntil("PUT /api/v1/namespaces/shop/secrets/a", "GET /api/v1/namespaces/ci/secrets");
        CompletableFuture<UiSession.Response> save = CompletableFuture.supplyAsync(() -> tab.submit("/secrets",
                Map.of("_csrf", form, "namespace", "shop", "name", "a", "data", "password=alice"), false));
        await().until(() -> API.requests.contains("PUT /api/v1/namespaces/shop/secrets/a"));

        assertThat(browser.signIn(FakePlatformApi.DEPLOYER_TOKEN).location()).isEqualTo("/");
        meanwhile.run();
        return save.join().redirect();
    }

    /** Someone else creates secret a in shop, then {@code session}'s create of it is refused: the address of its conflict page, which says so. */
    private String refusedSaveOfA(UiSession session) {
        signedIn().post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "a", "data", "password=bob")).redirect();
        String refused = session.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "a", "data", "password=alice")).redirect();
        assertThat(session.page(refused)).contains("id=\"secret-conflict\"");
        return refused;
    }

    @Test
    void replacingOrDeletingASecretChangedSinceThePageShowedItIsRefused() {
        UiSession alice = signedIn();
        alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=one")).redirect();
        String form = alice.page(SECRETS + "&replace=db");
        assertThat(form).contains("Replace secret db in namespace shop (version 1)").contains("id=\"secret-name\" name=\"name\"").contains("value=\"db\" readonly");
        String staleReplace = version(form, "secret-form");
        String staleDelete = version(form, "delete-db");
        signedIn().post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=two",
                "resourceVersion", staleReplace)).redirect();

        String refused = alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db", "data", "password=three",
                "resourceVersion", staleReplace)).redirect();
        assertThat(alice.page(refused)).contains("(version 2)").contains("id=\"secret-conflict\"").doesNotContain("three");
        assertThat(API.conditions).contains("PUT /api/v1/namespaces/shop/secrets/db If-Match: \"" + staleReplace + "\"");

        alice.post(SECRETS, "/secrets/shop/db/delete", Map.of("resourceVersion", staleDelete)).redirect();
        assertThat(API.conditions).contains("DELETE /api/v1/namespaces/shop/secrets/db If-Match: \"" + staleDelete + "\"");
        assertThat(API.state().secrets.get("shop/db")).isEqualTo(Map.of("password", "two"));
        assertThat(alice.page(SECRETS)).contains("Nothing was changed: someone else changed this since you opened the page.");
    }

    @Test
    void restrictedLabelsSavedFromAPageOpenedBeforeAnotherAdminsAreRefusedWithWhatWasTypedKept() {
        UiSession alice = signedIn();
        String stale = version(alice.page(NODE), "relabel");
        UiSession bob = signedIn();
        bob.post(NODE, NODE + "/labels", Map.of("labels", TIER + "=bob", "resourceVersion", version(bob.page(NODE), "relabel"))).redirect();

        UiSession.Response r = alice.post(NODE, NODE + "/labels", Map.of("labels", TIER + "=alice", "resourceVersion", stale));

        assertThat(API.conditions).contains("PUT /api/v1/nodes/node-2/labels If-Match: \"" + stale + "\"");
        assertThat(API.state().nodes.get("node-2").labels()).containsEntry(TIER, "bob");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("Nothing was saved: someone else changed node node-2 since you opened this page.")
                .contains("<code>" + TIER + "=bob").contains(TIER + "=alice</textarea>");

        alice.post(NODE, NODE + "/labels", Map.of("labels", TIER + "=alice", "resourceVersion", version(r.body(), "relabel"))).redirect();
        assertThat(API.state().nodes.get("node-2").labels()).containsEntry(TIER, "alice");
    }

    @Test
    void anAddressChangedFromAPageOpenedBeforeAnotherChangeOfTheNodeIsRefusedWithTheAddressTypedKept() {
        UiSession alice = signedIn();
        String stale = version(alice.page(NODE), "move");
        signedIn().post(NODE, NODE + "/labels", Map.of("labels", TIER + "=bob", "resourceVersion", stale)).redirect();

        UiSession.Response r = alice.post(NODE, NODE + "/address", Map.of("address", "http://10.0.0.9:8181", "resourceVersion", stale));

        assertThat(API.conditions).contains("PUT /api/v1/nodes/node-2/address If-Match: \"" + stale + "\"");
        assertThat(API.state().nodes.get("node-2").address()).isEqualTo("http://127.0.0.1:8182");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("Nothing was saved: someone else changed node node-2").contains("<code>" + TIER + "=bob")
                .contains("name=\"address\" required value=\"http://10.0.0.9:8181\"");

        assertThat(alice.post(NODE, NODE + "/address", Map.of("address", "http://10.0.0.9:8181", "resourceVersion", version(r.body(), "move")))
                .redirect()).isEqualTo(NODE);
        assertThat(API.state().nodes.get("node-2").address()).isEqualTo("http://10.0.0.9:8181");
    }

    @Test
    void aNodeDeletedFromAPageOpenedBeforeAnotherChangeOfItStays() {
        UiSession alice = signedIn();
        String stale = version(alice.page(NODE), "delete-node");
        signedIn().post(NODE, NODE + "/labels", Map.of("labels", TIER + "=bob", "resourceVersion", stale)).redirect();

        assertThat(alice.post(NODE, NODE + "/delete", Map.of("resourceVersion", stale)).redirect()).isEqualTo(NODE);

        assertThat(API.conditions).contains("DELETE /api/v1/nodes/node-2 If-Match: \"" + stale + "\"");
        assertThat(API.state().nodes).containsKey("node-2");
        String now = alice.page(NODE);
        assertThat(now).contains("Nothing was changed: someone else changed this since you opened the page.").contains("<code>" + TIER + "=bob");

        assertThat(alice.post(NODE, NODE + "/delete", Map.of("resourceVersion", version(now, "delete-node"))).redirect()).isEqualTo("/nodes");
        assertThat(API.state().nodes).doesNotContainKey("node-2");
    }

    @Test
    void aTamperedVersionIsRefusedWithoutCallingPlatformApi() {
        UiSession alice = signedIn();
        Fixtures.deploy(alice, "hello", 2);

        UiSession.Response r = alice.post(PAGE, PAGE + "/scale", Map.of("replicas", "5", "resourceVersion", "1\"\r\nX-Injected: yes"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("not a resource version");
        assertThat(API.requests).noneMatch(q -> q.startsWith("PUT " + API_DEP + "/scale"));
        assertThat(replicas()).isEqualTo(2);
    }

    /** A forged delete with the version field twice (joined into one tag by the form's binding) is a 400, not a misleading 412. */
    @Test
    void aNodeDeleteWithItsVersionTwiceIsRefusedWithoutCallingPlatformApi() {
        UiSession alice = signedIn();
        String current = version(alice.page(NODE), "delete-node");
        var form = new org.springframework.util.LinkedMultiValueMap<String, String>();
        form.add("resourceVersion", current);
        form.add("resourceVersion", current);

        UiSession.Response r = alice.post(NODE, NODE + "/delete", form);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("not a resource version").doesNotContain("someone else changed");
        assertThat(API.requests).noneMatch(q -> q.startsWith("DELETE /api/v1/nodes/"));
        assertThat(API.state().nodes).containsKey("node-2");
    }

    private static int replicas() {
        return API.state().deployments.get("default/hello").spec.replicas();
    }

    /** The resource version in the hidden field of the form that holds the element {@code id}. */
    /** The refused save's page is addressed by namespace and name as query text, whatever they hold: never a template to expand. */
    @Test
    void theConflictPageOfASecretWithBracesInItsNameIsAddressedAsText() {
        UiSession alice = signedIn();
        alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db{x}", "data", "password=one")).redirect();

        String refused = alice.post(SECRETS, "/secrets", Map.of("namespace", "shop", "name", "db{x}", "data", "password=two")).redirect();

        assertThat(refused).isEqualTo("/secrets?namespace=shop&replace=db%7Bx%7D&conflict=true");
    }

    private static String version(String html, String id) {
        int at = html.indexOf("id=\"" + id + "\"");
        assertThat(at).as("element " + id).isNotNegative();
        int form = html.lastIndexOf("<form", at);
        Matcher m = VERSION.matcher(html.substring(form, html.indexOf("</form>", at)));
        assertThat(m.find()).as("resourceVersion in the form of " + id).isTrue();
        return m.group(1);
    }
}
