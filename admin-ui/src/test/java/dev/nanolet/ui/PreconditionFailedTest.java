package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.platform.WriteCondition;
import dev.nanolet.wire.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;

/**
 * A 412 names the version the write met, as platform-api's problem does ({@code resourceVersion}; null when the object does
 * not exist): {@code secrets.RefusedSaves} keeps it to tell which success came after the refusal. The problem's other
 * members are read as platform-api sends them.
 */
class PreconditionFailedTest extends UiTest {
    @Autowired
    PlatformClient platform;

    @Test
    void aRefusedWriteCarriesTheVersionItMet() {
        String made = asAdmin(platform.putSecret("shop", "a", Map.of("k", "1"), WriteCondition.ABSENT)).resourceVersion();

        PlatformException.Refused created = refused(platform.putSecret("shop", "a", Map.of("k", "2"), WriteCondition.ABSENT));
        PlatformException.Refused gone = refused(platform.putSecret("shop", "b", Map.of("k", "2"), WriteCondition.at(made)));

        assertThat(created.preconditionFailed()).isTrue();
        assertThat(created.resourceVersion()).as("the secret another write made").isEqualTo(made);
        assertThat(gone.resourceVersion()).as("no such secret").isNull();
    }

    /**
     * A problem whose {@code resourceVersion} is no string (an object, a list), or whose {@code moreErrors} is no number, is
     * read as any other: that member is taken as none, its detail and errors are kept. Seen failing when resourceVersion
     * was read as a string: the whole body was dropped, and a 422's field errors with it.
     */
    @Test
    void aResourceVersionThatIsNoStringLeavesTheRestOfTheProblemRead() {
        API.answerWith(412, MediaType.APPLICATION_PROBLEM_JSON,
                "{\"title\":\"Precondition Failed\",\"status\":412,\"detail\":\"another write came first\",\"resourceVersion\":{\"v\":1},"
                        + "\"moreErrors\":\"x\"}");
        PlatformException.Refused odd = refused(platform.putSecret("shop", "a", Map.of("k", "1"), WriteCondition.ABSENT));
        API.answerWith(422, MediaType.APPLICATION_PROBLEM_JSON,
                "{\"title\":\"Unprocessable Entity\",\"status\":422,\"errors\":[{\"field\":\"data\",\"message\":\"empty\"}],\"resourceVersion\":[\"7\"]}");
        PlatformException.Refused invalid = refused(platform.putSecret("shop", "a", Map.of("k", "1"), WriteCondition.ABSENT));

        assertThat(odd.preconditionFailed()).isTrue();
        assertThat(odd.problem().detail()).isEqualTo("another write came first");
        assertThat(odd.resourceVersion()).isNull();
        assertThat(odd.problem().moreErrors()).isNull();
        assertThat(invalid.problem().errors()).containsExactly(new Problem.FieldError("data", "empty"));
        assertThat(invalid.resourceVersion()).as("not a 412").isNull();
    }

    /**
     * A 400's count of the wrong values its {@code errors} does not name reaches the dashboard's problem. Seen failing before
     * the problem body had the member: {@code moreErrors} was null.
     */
    @Test
    void aProblemCarriesHowManyMoreWrongValuesThereAre() {
        API.answerWith(400, MediaType.APPLICATION_PROBLEM_JSON,
                "{\"title\":\"Malformed request body\",\"status\":400,\"errors\":[{\"field\":\"args[0]\",\"message\":\"must be a string\"}],\"moreErrors\":5}");

        Problem problem = refused(platform.putSecret("shop", "a", Map.of("k", "1"), WriteCondition.ABSENT)).problem();

        assertThat(problem.moreErrors()).isEqualTo(5);
        assertThat(problem.errors()).containsExactly(new Problem.FieldError("args[0]", "must be a string"));
    }

    private PlatformException.Refused refused(Mono<?> call) {
        return catchThrowableOfType(PlatformException.Refused.class, () -> asAdmin(call));
    }

    private static <T> T asAdmin(Mono<T> call) {
        var admin = new UsernamePasswordAuthenticationToken("admin", FakePlatformApi.ADMIN_TOKEN);
        return call.contextWrite(ReactiveSecurityContextHolder.withAuthentication(admin)).block();
    }
}
