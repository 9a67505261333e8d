-- GET /audit?requestId=: the entries of one request, newest first (two or three, of an apply one per document and
-- undo). Without it every entry, of the whole retention, would be read to find them. Owner: audit.AuditLog.
CREATE INDEX audit_log_request_id ON audit_log (request_id, id);
