-- The id of the request that wrote an entry: its X-Request-Id when the client sent a sane one, else one platform-api
-- made. Every entry one request writes has it (a waited write's entry at commit and its second when the wait answered
-- otherwise, an apply's and its documents'), so that they are told apart from those of another request of the same
-- actor, method and path made meanwhile. Null for entries from before this version. Owner: audit.AuditLog.
ALTER TABLE audit_log ADD COLUMN request_id text;
