package dev.nanolet.platform.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.nanolet.platform.audit.RequestAudit;
import dev.nanolet.platform.web.Caller;
import dev.nanolet.platform.web.CredentialChecks;
import dev.nanolet.wire.Deployment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * An atomic apply's undos are audited as they are made: one that throws (the database gone in the middle) leaves the
 * failed document's second entry and every undo already made listed, as they were before the apply's {@code written}
 * was decided from all of them.
 */
class ManifestUndoAuditTest {
    final ManifestApply apply = mock(ManifestApply.class);
    final RolloutWaiter waiter = mock(RolloutWaiter.class);
    final RolloutProblems problems = mock(RolloutProblems.class);
    final Rollouts rollouts = mock(Rollouts.class);
    final RequestAudit audit = mock(RequestAudit.class);
    final CredentialChecks credentials = mock(CredentialChecks.class);
    final List<String> entries = new ArrayList<>();

    final List<DeploymentWriter.Applied> applied = List.of(applied("a"), applied("b"), applied("c"));

    @Test
    void anUndoThatThrowsLeavesTheFailedDocumentsEntryAndTheUndosAlreadyMadeListed() {
        when(rollouts.undo(applied.get(0))).thenReturn(deleted());
        when(rollouts.undo(applied.get(2))).thenReturn(deleted());
        when(rollouts.undo(applied.get(1))).thenThrow(new DataAccessResourceFailureException("the database is gone"));

        applyWhoseFirstRolloutFails();

        assertThat(entries).containsExactly("PUT deployments/a 200 null", "PUT deployments/b 200 null", "PUT deployments/c 200 null",
                "DELETE deployments/a 204 null", "PUT deployments/a 422 null", "DELETE deployments/c 204 null");
    }

    /** The failed document's own undo throwing reverted nothing: its second entry says the write stays. */
    @Test
    void theFailedDocumentsUndoThatThrowsLeavesItListedAsWritten() {
        when(rollouts.undo(applied.get(0))).thenThrow(new DataAccessResourceFailureException("the database is gone"));

        applyWhoseFirstRolloutFails();

        assertThat(entries).containsExactly("PUT deployments/a 200 null", "PUT deployments/b 200 null", "PUT deployments/c 200 null",
                "PUT deployments/a 422 200");
    }

    private void applyWhoseFirstRolloutFails() {
        when(apply.apply(any())).thenReturn(new ManifestApply.Outcome(applied, List.of(), List.of()));
        when(waiter.await(eq("ci"), eq("a"), anyLong(), any(), any(), any()))
                .thenReturn(new RolloutWaiter.Failed(applied.get(0).deployment(), "CrashLoop", "it crashed"));
        when(problems.failed(any(), any(), any())).thenReturn(ProblemDetail.forStatus(422));
        doAnswer(call -> entries.add(call.getArgument(1) + " " + call.<String>getArgument(2).substring("namespaces/ci/".length()) + " "
                + call.getArgument(3) + " " + call.getArgument(4))).when(audit).wrote(any(), anyString(), anyString(), anyInt(), any());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/apply");
        request.setAttribute(Caller.ATTRIBUTE, new Caller.Admin());
        ManifestApi api = new ManifestApi(apply, waiter, problems, rollouts, JsonMapper.builder().build(), mock(ManifestPrune.class),
                new ObjectAudit(audit), audit, credentials);

        assertThatThrownBy(() -> api.apply(document("a") + document("b") + document("c"), "application/yaml", true, "1s", true,
                null, false, null, request, new MockHttpServletResponse())).isInstanceOf(DataAccessResourceFailureException.class);
    }

    private static DeploymentWriter.Applied applied(String name) {
        Deployment d = mock(Deployment.class);
        when(d.namespace()).thenReturn("ci");
        when(d.name()).thenReturn(name);
        when(d.generation()).thenReturn(1L);
        return new DeploymentWriter.Applied(d, true, 0);
    }

    private static Rollouts.Undone deleted() {
        return new Rollouts.Undone(new RolloutProblems.Undo("deleted the deployment this apply created", null), "DELETE", "", 204);
    }

    private static String document(String name) {
        return "---\n{apiVersion: nanolet.dev/v1, kind: Deployment, metadata: {name: " + name + ", namespace: ci},"
                + " spec: {module: \"sha256:" + "0".repeat(64) + "\", job: {}}}\n";
    }
}
