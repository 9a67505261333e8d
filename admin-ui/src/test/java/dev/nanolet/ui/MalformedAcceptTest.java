package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An {@code Accept} header that is not a list of media types is the client's mistake: the page or
 * asset it asked for answers 406 or 404 as for any other type it cannot have, never a 500.
 */
class MalformedAcceptTest extends UiTest {
    private static final String GARBAGE = "garbage";

    @Test
    void pagesAssetsAndUnknownUrlsAnswerAsForAnyTypeTheyCannotServe() {
        UiSession visitor = new UiSession(baseUrl());
        assertThat(visitor.get("/sign-in", GARBAGE).status()).as("the sign-in page").isEqualTo(406);
        assertThat(visitor.get("/css/nope.css", GARBAGE).status()).as("a missing asset").isEqualTo(404);

        UiSession session = signedIn();
        assertThat(session.get("/", GARBAGE).status()).as("the overview").isEqualTo(406);
        assertThat(session.get("/no/such", GARBAGE).status()).as("an unknown URL").isEqualTo(404);
    }
}
