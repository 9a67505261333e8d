-- Labels under node-restriction.nanolet.dev/ are set by an admin only (PUT /api/v1/nodes/{name}/labels);
-- before this version a node could set any label, so any such label now stored came from a node: remove it.
-- Registration keeps restricted labels across a node's re-registration, so without this a node that took
-- one before the upgrade would keep it.
UPDATE nodes SET labels = (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
                           FROM jsonb_each(labels) WHERE key NOT LIKE 'node-restriction.nanolet.dev/%')
WHERE EXISTS (SELECT 1 FROM jsonb_object_keys(labels) k WHERE k LIKE 'node-restriction.nanolet.dev/%');
