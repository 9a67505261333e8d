-- Wake every watch stream when the route table (GET /api/v1/routes) may have changed, so nodes
-- refetch it at once instead of finding the change by polling or by a miss: a replica starts or
-- stops being Running, a Running one is asked to stop, or it goes; a deployment's route moves or the deployment goes.
-- Notifications with the same payload in one transaction fold into one.
CREATE FUNCTION notify_routes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nanolet_routes', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER replicas_notify_routes AFTER UPDATE OF phase, terminating ON replicas FOR EACH ROW
    WHEN ((OLD.phase = 'Running') IS DISTINCT FROM (NEW.phase = 'Running')
          OR (NEW.phase = 'Running' AND OLD.terminating IS DISTINCT FROM NEW.terminating))
    EXECUTE FUNCTION notify_routes();
CREATE TRIGGER replicas_gone_notify_routes AFTER DELETE ON replicas FOR EACH ROW
    WHEN (OLD.phase = 'Running')
    EXECUTE FUNCTION notify_routes();
CREATE TRIGGER deployments_notify_routes AFTER UPDATE OF http_path, deleted_at ON deployments FOR EACH ROW
    WHEN (OLD.http_path IS DISTINCT FROM NEW.http_path OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION notify_routes();
CREATE TRIGGER deployments_gone_notify_routes AFTER DELETE ON deployments FOR EACH ROW
    EXECUTE FUNCTION notify_routes();
