-- Conditional writes for nodes (docs/api.md, "Conditional writes"): a node's row gets a resource_version
-- as deployments and secrets have (V24), from the same sequence, so an admin's PUT of its labels or
-- address with If-Match cannot silently overwrite another admin's. It changes on any change of the row:
-- the admin's labels and address, and what the node itself registers (its own labels, its capacity); a
-- re-registration that says the same writes nothing new and keeps it. The lease and usage live in
-- node_leases (V21), so a renewal never changes it.
ALTER TABLE nodes ADD COLUMN resource_version bigint NOT NULL DEFAULT nextval('resource_versions');

CREATE TRIGGER nodes_resource_version BEFORE UPDATE ON nodes FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION next_resource_version();
