-- GET /namespaces/{ns}/events[?type=]: a namespace's events newest first, with or without a type. events_deployment
-- (namespace, deployment, id) would read every event of the namespace and sort them.
CREATE INDEX events_namespace ON events (namespace, id);
CREATE INDEX events_namespace_type ON events (namespace, type, id);
