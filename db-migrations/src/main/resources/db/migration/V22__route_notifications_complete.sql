-- platform-api keeps the route table between nanolet_routes notifications (RouteTable), so every write
-- that changes what GET /api/v1/routes shows must notify, not only the updates V14 covers: a deployment
-- created with a route, a replica written as Running at once, and a node that moves to another address.
-- (A node whose lease runs out changes it too, without a write: RouteTable reads again after at most 1 s.)
CREATE TRIGGER deployments_new_notify_routes AFTER INSERT ON deployments FOR EACH ROW
    WHEN (NEW.http_path IS NOT NULL AND NEW.deleted_at IS NULL)
    EXECUTE FUNCTION notify_routes();
CREATE TRIGGER replicas_new_notify_routes AFTER INSERT ON replicas FOR EACH ROW
    WHEN (NEW.phase = 'Running')
    EXECUTE FUNCTION notify_routes();
CREATE TRIGGER nodes_moved_notify_routes AFTER UPDATE OF address ON nodes FOR EACH ROW
    WHEN (OLD.address IS DISTINCT FROM NEW.address)
    EXECUTE FUNCTION notify_routes();
