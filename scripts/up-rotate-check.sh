#!/usr/bin/env bash
# The secrets key of a platform `./nanolet up` started, rotated as docs/secrets.md says: platform-api
# restarted with NANOLET_SECRETS_KEY=<new> and NANOLET_SECRETS_KEY_PREVIOUS=<old>, then POST /secrets:rotate.
# The stored secrets are re-sealed under the new key, which up then keeps (the old one beside it), and
# the next up starts with it alone and opens them all. Before, up started platform-api with the key it
# had saved whatever NANOLET_SECRETS_KEY said: the rotation answered "resealed": 0 under the old key's id,
# and step 3 of the page then said the rotation was done. On the way: a new key without the saved one
# as the previous is refused before anything starts, as is one given while platform-api runs.
# Run by scripts/test.sh after up-check; two to four minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
java="$JAVA_HOME/bin/java"
http() { "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$state/classes" Http "$@"; } # compiled there by ./nanolet up

# API, dashboard, PostgreSQL and one node: ports nothing listens on, below the ephemeral range (see up-check)
ports=() port=28190
while [ ${#ports[@]} -lt 4 ]; do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || ports+=("$port"); port=$((port + 1)); done
state=$(mktemp -d /tmp/nanolet-up-rotate-check.XXXXXX)
chmod 755 "$state" # the embedded PostgreSQL runs as nobody when this runs as root
export NANOLET_STATE=$state NANOLET_API_PORT=${ports[0]} NANOLET_UI_PORT=${ports[1]} NANOLET_PG_PORT=${ports[2]} NANOLET_NODE_PORTS=${ports[3]}
unset NANOLET_SECRETS_KEY NANOLET_SECRETS_KEY_PREVIOUS
trap 'rc=$?; if [ $rc != 0 ]; then tail -n 40 "$state"/logs/platform-api.log >&2 2>/dev/null || true; fi
  ./nanolet down >/dev/null 2>&1 || true; rm -rf "$state"; exit $rc' EXIT
api="http://localhost:$NANOLET_API_PORT/api/v1"
fail() { echo "up-rotate-check: $*" >&2; exit 1; }
key_id() { base64 -d <<<"$1" | sha256sum | cut -c1-16; } # docs/secrets.md: the first 8 bytes of its SHA-256
rotate() { http post "$api/secrets:rotate" "$(cat "$state/admin-token")"; }
up() { timeout 900 ./nanolet up >"$state/up.txt" 2>&1 || { cat "$state/up.txt" >&2; fail "up $* failed"; }; }

up "(the first)"
http put "$api/namespaces/default/secrets/db" "$(cat "$state/admin-token")" '{"data":{"password":"p1"}}' >/dev/null
old=$(cat "$state/secrets-key") new=$(head -c 32 /dev/urandom | base64)

# refused before anything starts, the saved key kept: a new key while platform-api runs with the saved one,
# or a new key without the saved one as the previous (every stored secret would be unreadable)
refused() { # message VARIABLE=value…
  local message=$1; shift
  if env "$@" ./nanolet up >"$state/up.txt" 2>&1 || ! grep -qF "$message" "$state/up.txt" || [ "$(cat "$state/secrets-key")" != "$old" ]; then
    cat "$state/up.txt" >&2; fail "up with ${*%%=*}… was not refused with '$message', or the saved key changed"
  fi
}
refused "platform-api is running with the key" NANOLET_SECRETS_KEY="$new" NANOLET_SECRETS_KEY_PREVIOUS="$old"
./nanolet down >/dev/null
refused "NANOLET_SECRETS_KEY is not the key" NANOLET_SECRETS_KEY="$new"
[ -z "$(ls "$state/pids")" ] || fail "a refused up started $(ls "$state/pids")"

# 1. restart with the new key and the old as previous; 2. rotate; 3. restart without the previous
NANOLET_SECRETS_KEY=$new NANOLET_SECRETS_KEY_PREVIOUS=$old up "with the new key and the old as previous"
answer=$(rotate)
[[ $answer == *"\"keyId\":\"$(key_id "$new")\""* && $answer == *'"unreadable":0'* && $answer != *'"resealed":0'* ]] ||
  fail "the rotation did not re-seal the secrets under the new key $(key_id "$new") (the old: $(key_id "$old")): $answer"
[ "$(cat "$state/secrets-key")" = "$new" ] && [ "$(cat "$state/secrets-key.previous")" = "$old" ] ||
  fail "up did not save the new key in secrets-key and the old in secrets-key.previous"
./nanolet down >/dev/null
up "with the saved key alone"
answer=$(rotate)
[[ $answer == *"\"keyId\":\"$(key_id "$new")\""* && $answer == *'"resealed":0'* && $answer == *'"unreadable":0'* ]] ||
  fail "after the rotation, up did not start with the new key alone, or a secret was left unreadable: $answer"
echo "== up-rotate-check: the secrets key rotated on an up platform, $(key_id "$old") -> $(key_id "$new")"
