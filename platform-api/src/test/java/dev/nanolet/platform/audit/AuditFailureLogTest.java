package dev.nanolet.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.nanolet.platform.dryrun.DryRunIntent;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.testsupport.TestPostgres;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * An audit entry whose insert failed is logged with the id of its request, so that the log line is found from the id a
 * client was answered (or sent); before, it named the method, path and actor only, which another request shares.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditFailureLogTest {
    @Test
    void anEntryThatCouldNotBeRecordedIsLoggedWithItsRequestsId(CapturedOutput output) throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase(); // not migrated: there is no audit_log to insert into
        JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(db.url(), db.user(), db.password()));
        RequestAudit entries = new RequestAudit(new AuditLog(jdbc, new AuditProperties(Duration.ofDays(90)), Clock.systemUTC()),
                mock(DryRunIntent.class)); // (its only use: whether the request asked for a dry run; a mock's false)
        MockHttpServletRequest request = new MockHttpServletRequest("DELETE", "/api/v1/namespaces/ci/deployments/web");
        request.addHeader(RequestIdFilter.HEADER, "lost-1");
        request.setAttribute(Caller.ATTRIBUTE, new Caller.Admin());

        new RequestIdFilter().doFilter(request, new MockHttpServletResponse(),
                (req, res) -> entries.answered((HttpServletRequest) req, 204));

        assertThat(output).contains("could not record DELETE /api/v1/namespaces/ci/deployments/web by admin in the audit log "
                + "(request lost-1: DELETE /api/v1/namespaces/ci/deployments/web)").contains("audit_log");
    }
}
