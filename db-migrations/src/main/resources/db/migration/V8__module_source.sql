-- A module imported from an OCI registry remembers where it came from: the reference as asked for
-- (registry/repository:tag or @digest) and the manifest digest it resolved to at import.
ALTER TABLE modules ADD COLUMN source text;
ALTER TABLE modules ADD COLUMN source_digest text;
