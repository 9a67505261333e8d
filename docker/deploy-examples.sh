#!/bin/sh
# Deploys the example modules through platform-api's REST API and exits:
#   hello.wasm at /hello on two replicas;
#   todo.wasm (examples/bindings/todo.c) at /todos on two replicas, its binding "db" on the secret
#   todo-db, which points at the compose service app-db (database and role todo, made by
#   docker/app-db/10-todo.sh with the same password).
# Applying is idempotent (modules are content-addressed, PUT applies a spec or a secret), so every
# `docker compose up` may run it again. It first waits up to NANOLET_WAIT_SECONDS (180) for
# platform-api's readiness: after `docker compose restart`, depends_on waits for nothing.
set -eu
base="${NANOLET_API_URL:-http://platform-api:8090}"
api="$base/api/v1"
examples="${NANOLET_EXAMPLES_DIR:-/examples}"
wait_seconds="${NANOLET_WAIT_SECONDS:-180}"
auth="Authorization: Bearer ${NANOLET_ADMIN_TOKEN:?NANOLET_ADMIN_TOKEN is required}"
todo_db_url="${NANOLET_TODO_DB_URL:-jdbc:postgresql://app-db:5432/todo}"
todo_db_password="${NANOLET_TODO_DB_PASSWORD:?NANOLET_TODO_DB_PASSWORD is required}"

# waits until platform-api answers 200 on its readiness endpoint, or exits 1 after wait_seconds
wait_for_platform() {
  ready="$base/actuator/health/readiness"
  deadline=$(($(date +%s) + wait_seconds))
  until curl -fs -o /dev/null --max-time 5 "$ready"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "platform-api is not ready at $ready after ${wait_seconds} s; giving up (NANOLET_WAIT_SECONDS waits longer)" >&2
      exit 1
    fi
    [ -n "${waiting:-}" ] || { waiting=1; echo "waiting up to ${wait_seconds} s for platform-api at $ready"; }
    sleep 2
  done
}

# call WHAT CURL_ARGUMENT...: prints the answer's body when it is a 2xx; otherwise says what failed,
# with the status and platform-api's answer (a problem whose detail gives the reason; its first 2000
# bytes, without control characters, since whatever answers at $base reaches the terminal), and exits 1
call() {
  what=$1; shift
  body=$(mktemp)
  if ! status=$(curl -sS -o "$body" -w '%{http_code}' -H "$auth" "$@"); then
    rm -f "$body"; echo "$what failed: no answer from $base" >&2; exit 1
  fi
  case "$status" in
    2??) cat "$body"; rm -f "$body" ;;
    *) echo "$what failed: HTTP $status $(head -c 2000 "$body" | tr -d '\000-\010\013-\037\177')" >&2; rm -f "$body"; exit 1 ;;
  esac
}

# upload FILE NAME: prints the module's digest
upload() {
  answer=$(call "uploading $1" -H 'Content-Type: application/wasm' --data-binary "@$1" "$api/modules?name=$2") || exit 1
  digest=$(printf '%s' "$answer" | sed -n 's/.*"digest" *: *"\(sha256:[0-9a-f]*\)".*/\1/p')
  [ -n "$digest" ] || { echo "uploading $1 failed: no digest in $answer" >&2; exit 1; }
  echo "$digest"
}

# put WHAT PATH JSON: PUT to the API; any answer but a 2xx ends the script (see call)
put() {
  call "$1" -H 'Content-Type: application/json' -X PUT -d "$3" "$api/$2" >/dev/null
}

# a JSON string's content: backslashes and double quotes escaped
json() {
  printf '%s' "$1" | sed 's/[\\"]/\\&/g'
}

wait_for_platform
digest=$(upload "$examples/hello.wasm" hello)
put "deploying hello" namespaces/default/deployments/hello "{\"module\":\"$digest\",\"http\":{\"path\":\"/hello\"},\"replicas\":2}"
echo "deployed hello ($digest) at /hello"

put "writing secret todo-db" namespaces/default/secrets/todo-db \
  "{\"data\":{\"url\":\"$(json "$todo_db_url")\",\"user\":\"todo\",\"password\":\"$(json "$todo_db_password")\"}}"
digest=$(upload "$examples/todo.wasm" todo)
put "deploying todo" namespaces/default/deployments/todo \
  "{\"module\":\"$digest\",\"http\":{\"path\":\"/todos\"},\"replicas\":2,\"bindings\":[{\"name\":\"db\",\"type\":\"postgres\",\"secret\":\"todo-db\"}]}"
echo "deployed todo ($digest) at /todos, bound to $todo_db_url through secret todo-db"
