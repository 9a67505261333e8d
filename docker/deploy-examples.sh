#!/bin/sh
# Deploys the example modules through platform-api's REST API and exits: hello.wasm at /hello on
# two replicas. Applying is idempotent (modules are content-addressed, PUT applies a spec), so
# every `docker compose up` may run it again.
set -eu
api="${NANOLET_API_URL:-http://platform-api:8090}/api/v1"
auth="Authorization: Bearer ${NANOLET_ADMIN_TOKEN:?NANOLET_ADMIN_TOKEN is required}"
digest=$(curl -fsS -H "$auth" -H 'Content-Type: application/wasm' --data-binary @/examples/hello.wasm \
  "$api/modules?name=hello" | sed -n 's/.*"digest" *: *"\(sha256:[0-9a-f]*\)".*/\1/p')
[ -n "$digest" ] || { echo "uploading hello.wasm failed" >&2; exit 1; }
curl -fsS -o /dev/null -H "$auth" -H 'Content-Type: application/json' -X PUT \
  -d "{\"module\":\"$digest\",\"http\":{\"path\":\"/hello\"},\"replicas\":2}" \
  "$api/namespaces/default/deployments/hello"
echo "deployed hello ($digest) at /hello"
