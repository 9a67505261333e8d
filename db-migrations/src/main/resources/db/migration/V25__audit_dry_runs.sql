-- Whether an audited write was a dry run (?dryRun=All: checked and answered, nothing written), so that a dry-run
-- DELETE answered 204 is not read as a deletion. Entries from before this version read as not dry runs: they were
-- recorded without the flag. Owner: audit.AuditLog.
ALTER TABLE audit_log ADD COLUMN dry_run boolean NOT NULL DEFAULT false;
