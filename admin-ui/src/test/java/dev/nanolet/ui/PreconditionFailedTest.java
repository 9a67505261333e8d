package dev.nanolet.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nanolet.ui.platform.PlatformClient;
import dev.nanolet.ui.platform.PlatformException;
import dev.nanolet.ui.platform.WriteCondition;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;

/**
 * A 412 names the version the write met, as platform-api's problem does ({@code resourceVersion}; null when the object does
 * not exist): {@code secrets.RefusedSaves} keeps it to tell which success came after the refusal.
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

    private PlatformException.Refused refused(Mono<?> call) {
        return catchThrowableOfType(PlatformException.Refused.class, () -> asAdmin(call));
    }

    private static <T> T asAdmin(Mono<T> call) {
        var admin = new UsernamePasswordAuthenticationToken("admin", FakePlatformApi.ADMIN_TOKEN);
        return call.contextWrite(ReactiveSecurityContextHolder.withAuthentication(admin)).block();
    }
}
