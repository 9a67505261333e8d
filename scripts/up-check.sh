#!/usr/bin/env bash
# `./nanolet up` as the README gives it, checked end to end on free ports and a state directory of
# its own (NANOLET_STATE): the hello and todo routes answer on both nodes and both nodes are Ready at
# their addresses; then down and up again with the nodes on other ports, as a developer whose ports
# are taken would: a node keeps the address it registered with unless the admin moves it, so `up`
# must move them, or the moved nodes never register (409) and serve only what they had saved. On the
# way: two ups at once (with flock and without, over a stale lock), a killed up, a state path with
# ' $ " \ and a space, macOS's tools' options (no GNU sort -V, readlink -f, sed -u), and what up refuses at
# once (a state path with a : or a ${, another user's /var/tmp directory, root without runuser); last, the
# secrets key rotated as docs/secrets.md says.
# Run by scripts/test.sh after the suite (the jars are built by then); 8 to 10 minutes on CI's machine, each step's time printed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
java="$JAVA_HOME/bin/java"
http() { "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$state/classes" Http "$@"; } # compiled there by ./nanolet up
# status's lines have TEXT. Read whole: under pipefail `./nanolet status | grep -q` failed (141) whenever grep ended before
# status wrote its last line, so a wait for "node-2: stopped" ran its 600 rounds on a loaded machine, and a check for
# "running" could miss one
status_has() { [[ $(./nanolet status) == *"$1"* ]]; }
lap_at=$(date +%s)
lap() { echo "== up-check: $* ($(($(date +%s) - lap_at)) s)"; lap_at=$(date +%s); } # what was checked, and in how long

ports=() # ports nothing listens on, from $1 up, none twice (no subshells: they would forget what was handed out)
free_ports() {
  local p=$1 n
  for ((n = 0; n < $2; n++)); do
    while [[ " ${ports[*]} " == *" $p "* ]] || (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    ports+=("$p")
  done
}
# Below Linux's ephemeral range (32768-60999 by default): a port in it can be taken, between the
# check and the bind, by any outgoing connection (a pool's, a client's) and the agent then cannot listen.
# NANOLET_CHECK_PORT_BASE: where the search starts (28090), for a run beside another's on this machine
free_ports "${NANOLET_CHECK_PORT_BASE:-28090}" 7 # API, dashboard, PostgreSQL, two nodes, two nodes again

# a space in it, as in a home directory's path: every path is quoted; and a ' $ " \ that pg_ctl's shell
# line cannot take, so PostgreSQL goes to /var/tmp/nanolet-<cksum of the state path> (./nanolet, pg_dirs)
state=$(mktemp -d "/tmp/nanolet up-check's \$x \"q\" \\.XXXXXX")
chmod 755 "$state" # the embedded PostgreSQL runs as nobody when this runs as root
pg_home="/var/tmp/nanolet-$(echo "$state" | cksum | cut -d' ' -f1)"
planted="/var/tmp/nanolet-$(echo "$state/planted" | cksum | cut -d' ' -f1)" # (another user's: see below)
export NANOLET_STATE=$state
export NANOLET_API_PORT=${ports[0]} NANOLET_UI_PORT=${ports[1]} NANOLET_PG_PORT=${ports[2]}
# on failure, the logs' last lines before they go with the state directory (there may be none yet)
trap 'rc=$?; if [ $rc != 0 ]; then tail -n 40 "$state"/logs/*.log "$pg_home"/postgres/postgres.log >&2 2>/dev/null || true; fi
  ./nanolet down >/dev/null 2>&1 || true; rm -rf "$state" "$pg_home" "$planted"; exit $rc' EXIT

check() { # the nodes on ports $@ answer /hello and /todos/ and are Ready at their addresses
  local admin i=0 port nodes waits=() w failed=''
  admin=$(cat "$state/admin-token")
  for port in "$@"; do # the four waits side by side: one after another, each JVM's start came on top of the last's wait
    i=$((i + 1))
    http wait "http://127.0.0.1:$port/hello" 60 Hello & waits+=("$! node-$i on $port: /hello")
    http wait "http://127.0.0.1:$port/todos/" 60 "[" & waits+=("$! node-$i on $port: /todos/")
  done
  for w in "${waits[@]}"; do wait "${w%% *}" || { echo "${w#* } does not answer" >&2; failed=1; }; done
  [ -z "$failed" ] || return 1
  nodes=$(http get "http://localhost:$NANOLET_API_PORT/api/v1/nodes" "$admin")
  i=0
  for port in "$@"; do
    i=$((i + 1))
    sed 's/{"name":/\n&/g' <<<"$nodes" | grep "^{\"name\":\"node-$i\"" |
      grep -q "\"address\":\"http://127.0.0.1:$port\",\"ready\":true" ||
      { echo "node-$i is not Ready at http://127.0.0.1:$port: $nodes" >&2; return 1; }
  done
  lap "node-1 and node-2 Ready on $*; /hello and /todos/ answer on both"
}

one_waited() { # of the outputs of ups run at once, exactly one ($waited) says it waited for another
  waited=$(grep -lF "the platform in $state: waiting for it" "$@" || true)
  [ -n "$waited" ] && [ "$(wc -l <<<"$waited")" = 1 ]
}

refused() { # message VARIABLE=value…: an up with those is refused with that message before it starts anything,
  local message=$1 key; shift # and the saved secrets key stays
  key=$(cat "$state/secrets-key" 2>/dev/null || true)
  if env "$@" ./nanolet up >"$state/up-refused.txt" 2>&1 || ! grep -qF "$message" "$state/up-refused.txt" ||
    [ "$(cat "$state/secrets-key" 2>/dev/null || true)" != "$key" ]; then
    cat "$state/up-refused.txt" >&2; echo "up with ${*%%=*}… was not refused with '$message', or the saved key changed" >&2; exit 1
  fi
}

first=("${ports[3]}" "${ports[4]}")
# two ups at once on the fresh state directory (a second terminal, a retried CI job): one sets it all up,
# the other waits for it (not unpacking PostgreSQL or compiling the tools over it) and finds it running
NANOLET_NODE_PORTS="${first[*]}" timeout 900 ./nanolet up >"$state/up-1a.txt" 2>&1 & one=$!
NANOLET_NODE_PORTS="${first[*]}" timeout 900 ./nanolet up >"$state/up-1b.txt" 2>&1 & two=$!
wait $one || { cat "$state/up-1a.txt" "$state/up-1b.txt" >&2; echo "the first of two ups at once failed" >&2; exit 1; }
wait $two || { cat "$state/up-1a.txt" "$state/up-1b.txt" >&2; echo "the second of two ups at once failed" >&2; exit 1; }
one_waited "$state"/up-1?.txt && grep -q "platform-api already running" "$waited" ||
  { cat "$state/up-1a.txt" "$state/up-1b.txt" >&2; echo "of two ups at once, not one waited for the other" >&2; exit 1; }
check "${first[@]}"

# the same without flock (macOS: a PATH with every command but flock), on the running platform: a lock
# directory, one that a killed up left, its pid now another process's (after a reboot), taken over by one
# of two ups at once, the other waiting. And with macOS's tools as far as their options go: no GNU-only
# sort -V, readlink -f or sed -u (older macOS has none of them), and JAVA_HOME unset, so that find-java.sh
# looks for the JDK itself (through the java on PATH)
nof="$state/path-without-flock"; mkdir "$nof"
for d in ${PATH//:/ }; do ln -s "$d"/* "$nof/" 2>/dev/null || true; done # the first of a name wins, as in PATH
rm -f "$nof/flock"
refusing() { # TOOL PATTERN: $nof/TOOL refuses an argument matching the case pattern PATTERN, as BSD's would
  local real; real=$(command -v "$1"); rm -f "$nof/$1"
  printf '#!/bin/sh\nfor a; do case $a in %s) echo "%s: illegal option $a (a BSD %s in up-check)" >&2; exit 2 ;; esac; done\nexec %s "$@"\n' \
    "$2" "$1" "$1" "$real" >"$nof/$1"
  chmod +x "$nof/$1"
}
refusing sort '-V | --version-sort | -[a-zA-Z]*V*'
refusing readlink '-f | -[a-zA-Z]*f* | --canonicalize'
refusing sed '-u | -[a-zA-Z]*u* | --unbuffered'
sleep 600 >/dev/null 2>&1 & other=$! # (not holding up-check's output open should this fail)
mkdir "$state/up.lock.d"; echo $other >"$state/up.lock.d/pid"
mkdir "$state/up.lock.d.break"; touch -d '-2 minutes' "$state/up.lock.d.break" # and an up killed as it broke that lock
PATH=$nof NANOLET_NODE_PORTS="${first[*]}" timeout 300 env -u JAVA_HOME ./nanolet up >"$state/up-nf-a.txt" 2>&1 & one=$!
PATH=$nof NANOLET_NODE_PORTS="${first[*]}" timeout 300 env -u JAVA_HOME ./nanolet up >"$state/up-nf-b.txt" 2>&1 & two=$!
rc=0; wait $one && wait $two || rc=$?; kill $other
[ $rc = 0 ] || { cat "$state"/up-nf-?.txt >&2; echo "of two ups at once without flock, one failed" >&2; exit 1; }
one_waited "$state"/up-nf-?.txt && [ ! -e "$state/up.lock.d" ] && [ ! -e "$state/up.lock.d.break" ] ||
  { cat "$state"/up-nf-?.txt >&2; ls "$state" >&2; echo "of two ups at once without flock, not one waited for the other, or the lock stayed" >&2; exit 1; }
./nanolet down >/dev/null
lap "of two ups at once without flock (a lock directory, a stale one), one waited for the other; down"
# PostgreSQL binaries this machine cannot run, as an Intel Mac's up unpacked before macOS was supported
# (Linux's): the next up (the killed one below) replaces them and keeps the data, where the nodes' first
# addresses are that up-2 moves them from
printf '\317\372\355\376' >"$pg_home/postgres/bin/postgres" # a Mach-O header

# a port that is not one is refused before anything is built or started, with the variable named
if NANOLET_NODE_PORTS="${ports[5]} 6x" ./nanolet up >"$state/up-bad.txt" 2>&1 ||
  ! grep -q "'6x' is not a port: .*NANOLET_NODE_PORTS" "$state/up-bad.txt" || [ -n "$(ls "$state/pids")" ]; then
  echo "up with a bad port did not refuse it at once:" >&2; cat "$state/up-bad.txt" >&2; exit 1
fi

# and so is a bound on the processes' starts that is no number of seconds
if NANOLET_START_SECONDS=5m ./nanolet up >"$state/up-bad.txt" 2>&1 ||
  ! grep -qF "NANOLET_START_SECONDS '5m' is not a number of seconds" "$state/up-bad.txt" || [ -n "$(ls "$state/pids")" ]; then
  echo "up with NANOLET_START_SECONDS=5m did not refuse it at once:" >&2; cat "$state/up-bad.txt" >&2; exit 1
fi

# so is a state directory with a : in its path (Java's class path would part it in two), or a ${ (a Spring
# placeholder in the node agents' data directory: they would not start, or use another directory)
for bad in : '${'; do
  if NANOLET_STATE="$state/a${bad}b}" ./nanolet up >"$state/up-odd.txt" 2>&1 ||
    ! grep -qF "the state directory '$state/a${bad}b}' has a '$bad'" "$state/up-odd.txt" || [ -e "$state/a${bad}b}" ]; then
    echo "up in a state directory with a $bad did not refuse it at once:" >&2; cat "$state/up-odd.txt" >&2; exit 1
  fi
done

# and so is one whose PostgreSQL would go to a /var/tmp/nanolet-<n> that is not this user's (another user
# made it first: its pg_ctl could be theirs); as root, nobody's; else a symlink
if [ "$(id -u)" = 0 ]; then mkdir "$planted" && chown nobody "$planted"; else ln -s /tmp "$planted"; fi
if NANOLET_STATE="$state/planted" ./nanolet up >"$state/up-planted.txt" 2>&1 ||
  ! grep -qF "$planted, where PostgreSQL would go, is not" "$state/up-planted.txt" || [ -e "$state/planted/classes" ]; then
  echo "up whose PostgreSQL would go to another user's directory did not refuse it at once:" >&2; cat "$state/up-planted.txt" >&2; exit 1
fi

# as root without runuser (macOS has none), PostgreSQL could not run as nobody: refused at once too
if [ "$(id -u)" = 0 ]; then
  rm -f "$nof/runuser"
  if PATH=$nof NANOLET_STATE="$state/no-runuser" ./nanolet up >"$state/up-no-runuser.txt" 2>&1 ||
    ! grep -qF "through runuser, which this machine lacks" "$state/up-no-runuser.txt" || [ -e "$state/no-runuser/classes" ]; then
    echo "up as root without runuser did not refuse at once:" >&2; cat "$state/up-no-runuser.txt" >&2; exit 1
  fi
fi

# logs of a name that is no process of up's (a deployment's, as ci.md lists `logs NAME`) says where those are
if ./nanolet logs web >"$state/logs-web.txt" 2>&1 || ! grep -qF "no process 'web' with a log" "$state/logs-web.txt" ||
  ! grep -qF "./nanolet cli logs NAME" "$state/logs-web.txt"; then
  echo "./nanolet logs with a deployment's name did not say where its logs are:" >&2; cat "$state/logs-web.txt" >&2; exit 1
fi

lap "up refused a bad port or start bound, a state path with : or \${, another user's directory, root without runuser; logs NAME"
second=("${ports[5]}" "${ports[6]}")
# an up killed (kill -9, no trap runs) while it waits for platform-api leaves no lock: the next one does not wait
NANOLET_NODE_PORTS="${second[*]}" ./nanolet up >"$state/up-killed.txt" 2>&1 & killed=$!
for _ in $(seq 1 600); do [ -s "$state/pids/platform-api.pid" ] && break; sleep 0.2; done
[ -s "$state/pids/platform-api.pid" ] || { cat "$state/up-killed.txt" >&2; echo "the up to kill did not get to platform-api" >&2; exit 1; }
kill -9 $killed
grep -q "does not run on this machine: replacing it" "$state/up-killed.txt" ||
  { cat "$state/up-killed.txt" >&2; echo "up did not replace a postgres this machine cannot run" >&2; exit 1; }

# classes another checkout's up compiled into this state directory (NANOLET_STATE) after these sources were
# written: newer than them, but not theirs (one that knows no `move`); up must compile its own again
printf 'class Http { public static void main(String[] a) { System.exit(3); } }\n' >"$state/Http.java"
"$JAVA_HOME/bin/javac" -d "$state/classes" "$state/Http.java" && echo "another checkout's" >"$state/classes/stamp"

# commas between the ports work as well as spaces
NANOLET_NODE_PORTS="${ports[5]},${ports[6]}" timeout 900 ./nanolet up >"$state/up-2.txt" 2>&1 || { cat "$state/up-2.txt" >&2; exit 1; }
! grep -q "waiting for it" "$state/up-2.txt" || { cat "$state/up-2.txt" >&2; echo "the up after a killed one waited for its lock" >&2; exit 1; }
grep -q "node-1 moved from http://127.0.0.1:${first[0]} to http://127.0.0.1:${second[0]}" "$state/up-2.txt" ||
  { echo "up did not move node-1:" >&2; cat "$state/up-2.txt" >&2; exit 1; }
check "${second[@]}"

# the node-agent jar rebuilt (here another checkout's, sharing this state directory) while node-1 runs from its extracted
# copy and node-2 is stopped: the next up extracts the new jar into a directory of its own for node-2 and leaves node-1's
# files as they were (extracted over them, they were replaced under a JVM that opens a jar when it first needs a class)
jar_run_by() { ps -ww -o args= -p "$(cat "$state/pids/$1.pid")" | sed 's/.* -jar //'; } # name: the jar it runs
node1=$(cat "$state/pids/node-1.pid") node1_jar=$(jar_run_by node-1); node1_inode=$(stat -c %i "$node1_jar")
kill "$(cat "$state/pids/node-2.pid")"
for _ in $(seq 1 600); do status_has "node-2: stopped" && break; sleep 0.2; done
status_has "node-2: stopped" || { echo "node-2 did not stop within 2 minutes of its kill" >&2; exit 1; }
rebuilt=$(mktemp -d /tmp/nanolet-up-check-rebuilt.XXXXXX)
cp -R nanolet scripts examples "$rebuilt/"
for m in db-migrations platform-api node-agent admin-ui; do
  mkdir -p "$rebuilt/$m/target"; ln "$m/target/$m-0.1.0-SNAPSHOT.jar" "$rebuilt/$m/target/" 2>/dev/null || cp "$m/target/$m-0.1.0-SNAPSHOT.jar" "$rebuilt/$m/target/"
done
jar="$rebuilt/node-agent/target/node-agent-0.1.0-SNAPSHOT.jar"; rm "$jar"; cp node-agent/target/node-agent-0.1.0-SNAPSHOT.jar "$jar"
size=$(stat -c %s "$jar") # another jar, as a rebuild makes: the same one with a zip comment (its end record's last field)
printf '\007\000rebuilt' | dd of="$jar" bs=1 seek=$((size - 2)) conv=notrunc status=none
NANOLET_NODE_PORTS="${second[*]}" timeout 900 "$rebuilt/nanolet" up >"$state/up-rebuilt.txt" 2>&1 || { cat "$state/up-rebuilt.txt" >&2; rm -rf "$rebuilt"; exit 1; }
rm -rf "$rebuilt"
[ "$(cat "$state/pids/node-1.pid")" = "$node1" ] && [ "$(jar_run_by node-1)" = "$node1_jar" ] ||
  { echo "the up with a rebuilt jar started node-1 again, which was running" >&2; exit 1; }
[ "$(stat -c %i "$node1_jar" 2>/dev/null)" = "$node1_inode" ] ||
  { echo "the up with a rebuilt jar extracted it over the files node-1 runs from ($node1_jar)" >&2; exit 1; }
[ "$(dirname "$(jar_run_by node-2)")" != "$(dirname "$node1_jar")" ] ||
  { echo "the up with a rebuilt jar started node-2 from node-1's old files" >&2; exit 1; }
check "${second[@]}"
lap "a rebuilt node-agent jar went to a directory of its own; node-1's files stayed as they were"
# (the secrets key's rotation, at the end: a secret no up writes again, sealed under the key up saved; a new key
# is refused while platform-api runs with that one)
old_key=$(cat "$state/secrets-key") new_key=$(head -c 32 /dev/urandom | base64)
http put "http://localhost:$NANOLET_API_PORT/api/v1/namespaces/default/secrets/db" "$(cat "$state/admin-token")" '{"data":{"password":"p1"}}' >/dev/null
refused "platform-api is running with the key" NANOLET_SECRETS_KEY="$new_key" NANOLET_SECRETS_KEY_PREVIOUS="$old_key"

# what up prints to stop it names this state directory, quoted for the shell: pasted, it stops this platform
stop=$(sed -n 's/.*Stop: \(.*\) (data stays in .*/\1/p' "$state/up-2.txt")
grep -qF "(also in $(printf %q "$state")/admin-token)" "$state/up-2.txt" && [ -n "$stop" ] && env -u NANOLET_STATE bash -c "$stop" >/dev/null &&
  ! status_has running || { echo "up's Stop line ($stop) did not stop it:" >&2; ./nanolet status >&2; exit 1; }

# (platform-api's archive gone, as before its first start: the platform-api the up below starts writes one as it is
# stopped, of the classes it loaded by then, which no start after it may map: see below)
rm -f "$state/cds/platform-api.jsa"
# an up killed (SIGTERM, as Ctrl-C) while it waits for platform-api stops what it started so far (platform-api and
# PostgreSQL) and leaves no lock; the platform is down, so all of it is this up's
NANOLET_NODE_PORTS="${second[*]}" ./nanolet up >"$state/up-term.txt" 2>&1 & term=$!
for _ in $(seq 1 600); do [ -s "$state/pids/platform-api.pid" ] && break; sleep 0.2; done
api=$(cat "$state/pids/platform-api.pid" 2>/dev/null) || { cat "$state/up-term.txt" >&2; echo "the up to stop did not get to platform-api" >&2; exit 1; }
for _ in $(seq 1 600); do grep -q "Starting PlatformApiApplication" "$state/logs/platform-api.log" && break; sleep 0.2; done # (its JVM's dump at exit set up)
kill -TERM $term
rc=0; wait $term || rc=$?
if [ $rc != 143 ] || kill -0 "$api" 2>/dev/null || [ -n "$(ls "$state/pids")" ] || status_has running ||
  (exec 3<>"/dev/tcp/127.0.0.1/$NANOLET_PG_PORT") 2>/dev/null || { command -v flock >/dev/null && ! flock -n "$state/up.lock" true; }; then
  cat "$state/up-term.txt" >&2; ls "$state/pids" >&2; echo "an up stopped while it waited for platform-api left something running, or its lock (exit $rc)" >&2; exit 1
fi
[ -s "$state/cds/platform-api.jsa" ] || { echo "the platform-api stopped before it was up wrote no class-data archive" >&2; exit 1; }
lap "an up stopped while it waited for platform-api stopped platform-api and PostgreSQL"

# and one killed while pg_ctl starts PostgreSQL (its trap runs once pg_ctl's wait ends) stops that PostgreSQL too
NANOLET_NODE_PORTS="${second[*]}" ./nanolet up >"$state/up-pg-term.txt" 2>&1 & term=$!
pid="$pg_home/postgres/data/postmaster.pid"
for _ in $(seq 1 1200); do grep -q "starting PostgreSQL" "$state/up-pg-term.txt" && [ -e "$pid" ] && break; sleep 0.05; done
[ -e "$pid" ] || { cat "$state/up-pg-term.txt" >&2; echo "the up to stop did not get to PostgreSQL" >&2; exit 1; }
kill -TERM $term
rc=0; wait $term || rc=$?
if [ $rc != 143 ] || (exec 3<>"/dev/tcp/127.0.0.1/$NANOLET_PG_PORT") 2>/dev/null; then
  cat "$state/up-pg-term.txt" >&2; echo "an up stopped while PostgreSQL started left it running (exit $rc)" >&2; exit 1
fi
lap "an up stopped while PostgreSQL started stopped it"

# The secrets key of an up platform rotated as docs/secrets.md says, on the data above (the secret db sealed under
# the old key): a new key without the saved one as the previous is refused before anything starts (every stored
# value would be unreadable); with it, platform-api starts with the new key, and the rotation re-seals db under
# it. Before, up started platform-api with the key it had saved whatever NANOLET_SECRETS_KEY said: the rotation
# answered "resealed": 0 under the old key's id, and step 3 of the page then said the rotation was done.
refused "NANOLET_SECRETS_KEY is not the key" NANOLET_SECRETS_KEY="$new_key"
[ -z "$(ls "$state/pids")" ] || { echo "a refused up started $(ls "$state/pids")" >&2; exit 1; }
# (these two ups start node-1 alone: the rotation and the archives are platform-api's, and two more node starts each cost
# CI's machine a quarter of a minute)
NANOLET_SECRETS_KEY=$new_key NANOLET_SECRETS_KEY_PREVIOUS=$old_key NANOLET_NODE_PORTS="${second[0]}" timeout 900 ./nanolet up \
  >"$state/up-rotate.txt" 2>&1 || { cat "$state/up-rotate.txt" >&2; echo "up with a new secrets key failed" >&2; exit 1; }
maps_archive() { grep -cF "$state/cds/platform-api.jsa" "/proc/$(cat "$state/pids/platform-api.pid")/maps" || true; }
# the archive of the platform-api stopped before it was up (above) held only the classes it had loaded: this platform-api
# does not map it (the JVM took it for valid, and used it until the jars or the JDK changed), but writes its own at down
[ "$(maps_archive)" = 0 ] || { echo "platform-api mapped the class-data archive of a platform-api stopped before it was up" >&2; exit 1; }
# an up cut short once it saved the new key (a Ctrl-C while the nodes started) leaves secrets-key and secrets-key.previous
# as they are now, nothing running: the next, plain, up opens db, still sealed under the old key, with the previous key
# up kept (before, it started platform-api with the new key alone and the rotation below counted db unreadable)
./nanolet down >/dev/null
NANOLET_NODE_PORTS="${second[0]}" timeout 900 ./nanolet up >"$state/up-after-rotate.txt" 2>&1 ||
  { cat "$state/up-after-rotate.txt" >&2; echo "a plain up after the rotation's failed" >&2; exit 1; }
[ "$(maps_archive)" != 0 ] || { echo "platform-api did not map the class-data archive the one before it wrote at down" >&2; exit 1; }
lap "an archive written by a platform-api stopped before it was up was not used; the next one's was"
key_id() { base64 -d <<<"$1" | sha256sum | cut -c1-16; } # docs/secrets.md: the first 8 bytes of its SHA-256
rotate() { http post "http://localhost:$NANOLET_API_PORT/api/v1/secrets:rotate" "$(cat "$state/admin-token")"; }
answer=$(rotate)
[[ $answer == *"\"keyId\":\"$(key_id "$new_key")\""* && $answer == *'"unreadable":0'* && $answer != *'"resealed":0'* ]] ||
  { echo "the rotation did not re-seal the secrets under the new key $(key_id "$new_key") (the old: $(key_id "$old_key")): $answer" >&2; exit 1; }
# every secret is now sealed under the new key, which up saved for the next up to start with alone (the old beside it)
answer=$(rotate)
[[ $answer == *'"resealed":0'* && $answer == *'"unreadable":0'* ]] || { echo "a second rotation still found secrets to re-seal: $answer" >&2; exit 1; }
[ "$(cat "$state/secrets-key")" = "$new_key" ] && [ "$(cat "$state/secrets-key.previous")" = "$old_key" ] ||
  { echo "up did not save the new key in secrets-key and the old in secrets-key.previous" >&2; exit 1; }
# and the next rotation is refused while secrets-key.previous holds the old key, which may still seal secrets: the
# page's line run again (after an up cut short once platform-api was up) replaced it by the key of its first run
refused "secrets-key.previous holds the key of the last rotation" NANOLET_SECRETS_KEY="$(head -c 32 /dev/urandom | base64)" \
  NANOLET_SECRETS_KEY_PREVIOUS="$new_key"
lap "the secrets key rotated as docs/secrets.md says, $(key_id "$old_key") -> $(key_id "$new_key")"
