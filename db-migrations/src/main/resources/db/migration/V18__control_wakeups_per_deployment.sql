-- Wake-ups that say what changed (issue 13). nanolet_control used to carry only a table name, once
-- per statement on deployments or replicas: every status report (Pulling, Starting, …) woke every
-- instance's control loop, which then re-read every deployment. Now it carries 'deployment:<id>'
-- once per deployment whose desired state changed, or whose replicas changed in a way its controller
-- (or a rollout wait) acts on:
--   * a replica is created or removed;
--   * its phase moves into or out of one that counts (Running, Succeeded, Failed, CrashLoopBackOff,
--     Terminating) — Pending → Scheduled → Pulling → Starting are all "on its way" to the controller;
--   * it is asked to stop (terminating), or loses its node (node row deleted).
-- A binding, a reason or message, restarts or updated_at alone wake nobody. New nodes still send
-- 'nodes' (the scheduler may now place Pending replicas). Notifications with the same payload in one
-- transaction fold into one, so a batch of reports sends one per deployment it touched.
DROP TRIGGER deployments_notify_control ON deployments;
DROP TRIGGER replicas_notify_control ON replicas;

CREATE FUNCTION notify_control_deployments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nanolet_control', 'deployment:' || c.id) FROM (SELECT DISTINCT id FROM changed ORDER BY id) c;
    RETURN NULL;
END
$$;
CREATE TRIGGER deployments_inserted_notify_control AFTER INSERT ON deployments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_control_deployments();
CREATE TRIGGER deployments_updated_notify_control AFTER UPDATE ON deployments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_control_deployments();

CREATE FUNCTION notify_control_replicas() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nanolet_control', 'deployment:' || c.deployment_id)
    FROM (SELECT DISTINCT deployment_id FROM changed ORDER BY deployment_id) c;
    RETURN NULL;
END
$$;
CREATE TRIGGER replicas_inserted_notify_control AFTER INSERT ON replicas
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_control_replicas();
CREATE TRIGGER replicas_deleted_notify_control AFTER DELETE ON replicas
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notify_control_replicas();

CREATE FUNCTION notify_control_replicas_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nanolet_control', 'deployment:' || c.deployment_id)
    FROM (SELECT DISTINCT n.deployment_id
          FROM changed_old o JOIN changed_new n ON n.id = o.id
          WHERE (o.phase IS DISTINCT FROM n.phase
                 AND (o.phase IN ('Running', 'Succeeded', 'Failed', 'CrashLoopBackOff', 'Terminating')
                      OR n.phase IN ('Running', 'Succeeded', 'Failed', 'CrashLoopBackOff', 'Terminating')))
             OR o.terminating IS DISTINCT FROM n.terminating
             OR (o.node_name IS NOT NULL AND n.node_name IS NULL)
             OR o.deployment_id IS DISTINCT FROM n.deployment_id
             OR o.revision IS DISTINCT FROM n.revision
          ORDER BY n.deployment_id) c;
    RETURN NULL;
END
$$;
CREATE TRIGGER replicas_updated_notify_control AFTER UPDATE ON replicas
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION notify_control_replicas_updated();
