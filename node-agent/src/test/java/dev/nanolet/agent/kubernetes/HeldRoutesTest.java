package dev.nanolet.agent.kubernetes;

import static dev.nanolet.agent.kubernetes.RouteIndexTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolet.wire.Assignment;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which pod holds which route as pods are accepted, refused, deleted, moved and listed again after a restart. */
class HeldRoutesTest {

    private final HeldRoutes routes = new HeldRoutes();
    private final UUID shop = UUID.randomUUID();

    private PodTranslation.Result claim(Assignment a) {
        return routes.claim(new PodTranslation.Run(a));
    }

    private boolean free(Assignment a) {
        return claim(a).equals(new PodTranslation.Run(a));
    }

    /** Why {@code a} may not take its route: a pod that runs nothing yet waits for it, a running one that moves is refused. */
    private String refusal(Assignment a) {
        return switch (claim(a)) {
            case PodTranslation.Wait w when w.reason().equals("RouteTaken") -> w.message();
            case PodTranslation.Refuse r when r.reason().equals("RouteTaken") -> r.message();
            case PodTranslation.Result other -> throw new AssertionError("not RouteTaken: " + other);
        };
    }

    /** Failed is final (an API server refuses a pod leaving it), so only a pod that serves a route and moves it fails. */
    @Test
    void aNewPodWaitsForATakenRouteAndARunningPodMovingOntoOneIsRefused() {
        routes.accept(at(shop, "x", "shop", "/shop"));
        UUID moving = UUID.randomUUID();
        routes.accept(at(moving, "y", "w", "/y"));

        assertThat(claim(other("y", "/shop/admin"))).isInstanceOf(PodTranslation.Wait.class);
        assertThat(claim(at(moving, "y", "w", "/shop/admin"))).isInstanceOf(PodTranslation.Refuse.class);
    }

    private static Assignment other(String namespace, String route) {
        return at(UUID.randomUUID(), namespace, "w", route);
    }

    @Test
    void aRouteAtAboveOrUnderAnotherNamespacesIsTakenAndOneNamespaceMaySplitItsOwn() {
        routes.accept(at(shop, "x", "shop", "/shop"));

        assertThat(refusal(other("y", "/shop/"))).isEqualTo("route /shop is /shop, served on this node by x/shop;"
                + " routes of different namespaces must not be prefixes of one another");
        assertThat(refusal(other("y", "/shop//admin"))).startsWith("route /shop/admin is under /shop, served on this node by x/shop;");
        assertThat(refusal(other("y", "/"))).startsWith("route / is above /shop, served on this node by x/shop;");
        assertThat(free(other("y", "/shopping"))).isTrue();
        assertThat(free(other("y", "/sho"))).isTrue();
        assertThat(free(other("y", "/blog/shop"))).isTrue();
        assertThat(free(other("x", "/shop/admin"))).isTrue();
        assertThat(free(other("x", "/shop"))).isTrue();
    }

    @Test
    void aReleasedRouteIsFreeUntilAnotherPodTakesIt() {
        routes.accept(at(shop, "x", "shop", "/shop"));
        routes.release(shop);
        Assignment next = other("y", "/shop/admin");
        assertThat(free(next)).isTrue();
        routes.accept(next);

        assertThat(refusal(at(UUID.randomUUID(), "x", "shop", "/shop"))).startsWith("route /shop is above /shop/admin, served on this node by y/w;");
        routes.retain(Set.of(shop));
        assertThat(free(other("x", "/shop"))).as("a list without the pod frees its route").isTrue();
    }

    @Test
    void aPodKeepsTheRouteItHoldsAndIsWeighedOnlyWhenItMoves() {
        routes.accept(at(shop, "x", "shop", "/shop"));
        routes.accept(other("y", "/shop/admin")); // both ran before the rule (or after a restart that saved both)
        assertThat(free(at(shop, "x", "shop", "/shop/"))).as("a route that does not move is not weighed").isTrue();

        assertThat(refusal(at(shop, "x", "shop", "/shop/admin/x"))).startsWith("route /shop/admin/x is under /shop/admin");
        assertThat(free(at(shop, "x", "shop", "/elsewhere"))).isTrue();
        routes.accept(at(shop, "x", "shop", "/elsewhere"));
        assertThat(refusal(other("z", "/shop"))).as("it no longer holds the route it moved from")
                .startsWith("route /shop is above /shop/admin, served on this node by y/w;");
        assertThat(free(other("z", "/shop/other"))).isTrue();
        assertThat(refusal(other("z", "/elsewhere/x"))).startsWith("route /elsewhere/x is under /elsewhere, served on this node by x/shop;");
    }

    @Test
    void duringAListWhatTheNodeRanBeforeARestartHoldsItsRouteUntilItsPodIsWeighed() {
        Assignment ran = at(shop, "x", "shop", "/shop");
        UUID gone = UUID.randomUUID();
        routes.heldBefore(ran);
        routes.heldBefore(at(gone, "z", "old", "/old"));

        assertThat(refusal(other("y", "/shop/admin"))).startsWith("route /shop/admin is under /shop, served on this node by x/shop;");
        assertThat(free(at(shop, "x", "shop", "/shop"))).as("its own pod keeps it").isTrue();
        assertThat(refusal(at(gone, "z", "old", "/shop/admin"))).as("what another pod ran is weighed against it")
                .startsWith("route /shop/admin is under /shop");
        assertThat(routes.keep(shop, false)).contains(ran);
        routes.weighed(shop);
        routes.listed();

        assertThat(routes.accepted(shop)).contains(ran);
        assertThat(refusal(other("y", "/shop/admin"))).startsWith("route /shop/admin is under /shop");
        assertThat(free(other("y", "/old"))).as("what no pod of the list kept is free").isTrue();
    }

    @Test
    void aSavedRouteWithNoCanonicalFormHoldsNothingAndTheListGoesOn() {
        routes.heldBefore(at(UUID.randomUUID(), "z", "old", "/a/../shop"));
        routes.heldBefore(at(shop, "x", "shop", "/shop"));

        assertThat(free(other("y", "/a"))).isTrue();
        assertThat(refusal(other("y", "/shop/admin"))).startsWith("route /shop/admin is under /shop, served on this node by x/shop;");
        routes.listed();
        assertThat(free(other("y", "/shop/admin"))).isTrue();
    }

    @Test
    void aPodThatReportedKeepsWhatItRunsAndOneBeingDeletedLeavesItsRoute() {
        Assignment ran = routes.accept(at(shop, "x", "shop", "/shop"));
        assertThat(routes.keep(shop, true)).contains(ran);
        assertThat(routes.keep(shop, false)).isEmpty();

        Assignment stopping = routes.leave(shop).orElseThrow();
        assertThat(stopping.terminating()).isTrue();
        assertThat(routes.accepted(shop)).contains(stopping);
        assertThat(free(other("y", "/shop"))).isTrue();
        assertThat(routes.leave(UUID.randomUUID())).isEmpty();
    }

    /**
     * A RouteTaken message quotes each route by its first 64 characters and its length, so that it stays under an
     * event's 1 KiB ({@code RouteIndexTest.aMessageAboutTheLongestRoutesStaysUnderAnEventsKibibyte}); two routes alike
     * in those are told apart by the relation named and their lengths.
     */
    @Test
    void aRouteTakenMessageQuotesLongRoutesByTheirFirstCharacters() {
        String owner = "/shop/" + "a".repeat(100);
        routes.accept(at(shop, "x", "shop", owner));
        String under = owner + "/" + "b".repeat(100);

        assertThat(refusal(other("y", under))).startsWith("route " + under.substring(0, 64) + "… (207 characters) is under "
                + owner.substring(0, 64) + "… (106 characters), served on this node by x/shop;");
    }
}
