-- The status of the write itself when the request answered another one once the write was done: a wait=true whose
-- wait ended 401 (its token revoked), 422 (the rollout failed), 404 or 503 after the write was committed. status stays
-- what was answered; written says the write happened. Null for every other entry, and for those from before this
-- version, recorded without it. Owner: audit.AuditLog.
ALTER TABLE audit_log ADD COLUMN written int;
