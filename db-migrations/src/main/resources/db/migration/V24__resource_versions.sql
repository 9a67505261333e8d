-- Optimistic concurrency (docs/api.md, "Conditional writes"): every deployment and secret row has a
-- resource_version, which the API shows as resourceVersion and as the ETag of the object, and which a
-- write's If-Match (or a manifest document's metadata.resourceVersion) must name. It comes from one
-- sequence and changes on every write of the row, so a value is never reused: not by another object, nor
-- by an object of the same name created after a delete (a per-row counter would start again at 1, and a
-- client holding the old object's version would overwrite the new one). The database sets it, so no
-- write can forget to.
CREATE SEQUENCE resource_versions;

ALTER TABLE deployments ADD COLUMN resource_version bigint NOT NULL DEFAULT nextval('resource_versions');
ALTER TABLE secrets ADD COLUMN resource_version bigint NOT NULL DEFAULT nextval('resource_versions');

CREATE FUNCTION next_resource_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.resource_version := nextval('resource_versions');
    RETURN NEW;
END
$$;

-- A deployment: any change of the row (spec, replicas, labels, revision, deletion).
-- The whole-row comparison needs every column's type to have an equality operator: a column of type
-- json, point or xml added to deployments would make every UPDATE fail ("could not identify an
-- equality operator"); such a column must be compared by a list of columns here instead (or be jsonb).
CREATE TRIGGER deployments_resource_version BEFORE UPDATE ON deployments FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION next_resource_version();
-- A secret: a change of its data (version); re-sealing under a new key (rotation) shows no change.
CREATE TRIGGER secrets_resource_version BEFORE UPDATE ON secrets FOR EACH ROW
    WHEN (OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION next_resource_version();
