#!/usr/bin/env bash
# What ./nanolet up does before it starts anything, in a copy of the script and its scripts/ (no jars there,
# so up builds): an up stopped during its build (a kill, and Ctrl-C as a terminal sends it, to the whole
# process group, without flock) stops Maven and leaves no lock, a Maven that ignores SIGTERM killed 10 s on; one killed while pg_ctl starts PostgreSQL (a
# fake that hangs) stops at once, with the PostgreSQL pg_ctl forked even before it wrote its postmaster.pid (and, as root,
# pg_ctl even when the TERM killed runuser before it could pass it on, or a job swallowed it before it ran setsid), and
# so does one that down stops, while an up waiting behind its lock gives up (and one started after down does not;
# down by a user who cannot write the state directory ends 0), and one started while down stops the platform waits
# for down (and down behind an up that does not end goes on 2 minutes on); one killed between starting its build's output filter and Maven leaves neither, and one killed between
# starting platform-api (or the wait for it) and noting its pid leaves it not running either (a test hook's signal up
# cannot send is refused first); a new secrets key is saved before platform-api starts, it and the admin token whole,
# with no temporary file left by an up stopped or killed (kill -9) as it saves them (nor by an up before s26, while a
# user's files of such names stay); nothing up starts holds its lock (a kill -9 of up frees it at once), and the platform-api
# that up left is up's to status, the next up and down; a pid file whose pid another process has now names no process of up's, nor one whose process ended as status looked; a PostgreSQL fetch that fails shows Maven's errors and what to check (the real mvnw, its repository
# unreachable), or its log's last lines when they hold no [ERROR], and up on a machine without xz or its jar fetches the jar, and says so when that fails; and status refuses node ports that name no
# port; a pid file is read for its pid alone (no final newline, CRLF, two lines, a 0 or -1); down stops the nodes together (each
# ends of its own once both have their TERM, no kill -9); and up's output, a file here, holds no escape sequence.
# Maven's build here is a fake ./mvnw that only waits, as the real one would for minutes.
# Run by scripts/test.sh; two and a half to four minutes (the fetch's Maven, compiling up's tools once, 10 s of up's wait for a job
# that swallowed its TERM, 20 s of down's wait for
# a platform-api that ignores SIGTERM, down's 2 minutes for an up that ignores it, beside the other cases): 3 min 40 s
# at a load of 15 to 20.
set -euo pipefail
# a job of a non-interactive shell (`scripts/test.sh &` in a script) starts with SIGINT ignored, which no trap of up's
# can undo, so the Ctrl-C case below failed minutes in ("ended with 1, not 130"): run again with SIGINT's default
if [ -n "$(trap -p INT)" ]; then
  env --default-signal=INT true 2>/dev/null || { echo "up-stop-check: SIGINT is ignored here, and up cannot take Ctrl-C then: run it from a shell that does not ignore it" >&2; exit 1; }
  exec env --default-signal=INT "$BASH" "$0" "$@"
fi
cd "$(dirname "$0")/.."
. scripts/find-java.sh
real=$(pwd)
tmp=$(mktemp -d /tmp/nanolet-up-stop-check.XXXXXX)
# as root, PostgreSQL's files must be nobody's to reach, or up puts them in a /var/tmp/nanolet-<number>/ it
# leaves (as it does for a user's state directory): each run of this check left one per up of mktemp's 700
chmod 755 "$tmp"
pids=() # what a failed check leaves running is stopped
trap 'rc=$?; for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; exit $rc' EXIT
fail() { cat "$tmp/out.txt" >&2 2>/dev/null || true; echo "up-stop-check: $*" >&2; exit 1; }

copy() { # dir: a checkout of ./nanolet with no jars, whose ./mvnw waits in place of building
  mkdir -p "$1"
  cp "$real/nanolet" "$1/"; cp -R "$real/scripts" "$1/"
  printf '#!/bin/sh\necho $$ >>"%s"\necho "[INFO] Building Nanolet db-migrations 0.1.0-SNAPSHOT"\nexec sleep 300\n' "$1/maven.pids" >"$1/mvnw"
  chmod +x "$1/mvnw"
}
alive() { # pid: it runs (a zombie does not: in a container whose init reaps none, runuser's killed command stays one;
  # nor one reaped between kill -0 and ps, whose ps says nothing)
  kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null || true) == [!Z]* ]]
}
with_jars() { # dir: the platform's jars there (empty), so up builds nothing; and up's tools as the first up here compiled
  # them (tools, below): each copy's up compiled them again, a javac of 2 s, 7 s at a load of 20, a dozen times
  local m
  for m in db-migrations platform-api node-agent admin-ui; do mkdir -p "$1/$m/target"; touch "$1/$m/target/$m-0.1.0-SNAPSHOT.jar"; done
  [ ! -d "$tmp/tools" ] || { mkdir -p "$1/state"; cp -R "$tmp/tools" "$1/state/classes"; }
}
await_maven() { # dir: the fake Maven runs
  for _ in $(seq 1 300); do [ -s "$1/maven.pids" ] && break; sleep 0.2; done
  [ -s "$1/maven.pids" ] || fail "up did not get to its build"
  pids+=("$(cat "$1/maven.pids")")
  grep -q "Building Nanolet db-migrations" "$tmp/out.txt" || sleep 1 # (its filter's line, usually there by now)
}
stopped() { # dir status signal: up ended with status, Maven is gone, and so is the lock
  local maven; maven=$(cat "$1/maven.pids")
  [ "$up_rc" = "$2" ] || fail "up $3 ended with $up_rc, not $2"
  ! kill -0 "$maven" 2>/dev/null || fail "up $3 left its Maven (pid $maven) running"
  [ ! -e "$1/state/up.lock.d" ] || fail "up $3 left its lock directory"
  [ ! -e "$1/state/build-output" ] || fail "up $3 left its build's FIFO"
  if command -v flock >/dev/null; then flock -n "$1/state/up.lock" true || fail "up $3 left its lock held"; fi
  grep -q "up stopped: stopping what it started" "$tmp/out.txt" || fail "up $3 did not say it stopped"
  ! grep -q $'\033' "$tmp/out.txt" || fail "up $3 wrote escape sequences to its output, a file, not a terminal"
  echo "== up-stop-check: up $3 during its build stopped Maven and left no lock"
}

stopped_by_hook() { # dir step what: up ($up) sent itself SIGTERM through its hook at step, which noted the pid of what
  # (test-stop): up ended with 143 and stopped what
  local rc=0 noted; wait "$up" || rc=$?
  [ -s "$1/state/test-stop" ] || fail "up did not get to $2"
  noted=$(cat "$1/state/test-stop"); pids+=("$noted")
  [ "$rc" = 143 ] || fail "up killed at $2 ended with $rc, not 143"
  for _ in $(seq 1 25); do alive "$noted" || break; sleep 0.2; done
  ! alive "$noted" || fail "up killed at $2 left $3 (pid $noted) running"
}

# down while an up that does not end when stopped holds the lock (a fake that ignores SIGTERM, 5 minutes at most): down
# gives it 2 minutes, then stops what it left and ends, rather than wait for its lock for ever. Started here, checked
# last (its 2 minutes beside the other cases); with flock only
hung_down=''
if command -v flock >/dev/null; then
  hung="$tmp/hung"; copy "$hung"; mkdir -p "$hung/state" "$hung/fake"
  printf '#!/usr/bin/env bash\ntrap "" TERM\nexec 9>>"%s"\nflock 9\necho $$ >"%s"\nfor _ in $(seq 1 300); do sleep 1 9>&-; done\n' \
    "$hung/state/up.lock" "$hung/state/up.lock" >"$hung/fake/nanolet"
  chmod +x "$hung/fake/nanolet"
  "$hung/fake/nanolet" up </dev/null >/dev/null 2>&1 & hung_up=$!
  pids+=("$hung_up")
  for _ in $(seq 1 50); do [ "$(cat "$hung/state/up.lock" 2>/dev/null)" = "$hung_up" ] && break; sleep 0.2; done
  NANOLET_STATE="$hung/state" "$hung/nanolet" down >"$tmp/hung-down.txt" 2>&1 & hung_down=$!
  pids+=("$hung_down"); hung_since=$(date +%s)
fi

# kill (SIGTERM) of up alone, with flock
copy "$tmp/a"
NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
pids+=("$up")
await_maven "$tmp/a"
kill -TERM "$up"
up_rc=0; wait "$up" || up_rc=$?
stopped "$tmp/a" 143 "killed (SIGTERM)"
# a step that ignores the TERM (as a job's shell may swallow it before it drops up's held traps, then run its command):
# up kills it (-9) 10 s on, rather than wait for it for ever. Here a Maven that ignores SIGTERM
copy "$tmp/i"
printf '#!/bin/sh\ntrap "" TERM\necho $$ >>"%s"\nexec sleep 300\n' "$tmp/i/maven.pids" >"$tmp/i/mvnw"
NANOLET_STATE="$tmp/i/state" "$tmp/i/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
pids+=("$up")
await_maven "$tmp/i"
kill -TERM "$up"
for _ in $(seq 1 150); do kill -0 "$up" 2>/dev/null || break; sleep 0.2; done
! kill -0 "$up" 2>/dev/null || fail "up killed while a Maven that ignores SIGTERM ran did not end within 30 s"
up_rc=0; wait "$up" || up_rc=$?
stopped "$tmp/i" 143 "killed (SIGTERM) with a Maven that ignores it"

# Ctrl-C: a terminal sends SIGINT to every process of the foreground job, up's own jobs included (which
# ignore it); here in a job of its own (set -m) and with a PATH without flock, as on macOS
nof="$tmp/path-without-flock"; mkdir "$nof"
for d in ${PATH//:/ }; do ln -s "$d"/* "$nof/" 2>/dev/null || true; done # the first of a name wins, as in PATH
rm -f "$nof/flock"
copy "$tmp/b"
set -m
PATH=$nof NANOLET_STATE="$tmp/b/state" "$tmp/b/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
set +m
pids+=("$up")
await_maven "$tmp/b"
[ -d "$tmp/b/state/up.lock.d" ] || fail "up without flock holds no lock directory"
kill -INT -- "-$up"
up_rc=0; wait "$up" || up_rc=$?
stopped "$tmp/b" 130 "interrupted (Ctrl-C)"

# a step other than Maven that hangs (here pg_ctl, whose start waits up to a minute, as javac, initdb, the
# unpacking and each wait for platform-api may): the kill acts at once, not once the step ends. Jars there,
# so up builds nothing; a fake PostgreSQL in the state directory whose pg_ctl start hangs
fake_pg() { # dir start [forks]: a copy with jars in dir, and a fake PostgreSQL in its state directory whose pg_ctl
  # start (its pid in pg_ctl.pids) ends with the shell code start; forks: that start first forks a fake postgres,
  # which writes its postmaster.pid 3 s on (its pid in postmaster.pids)
  local pg="$1/state/postgres" fork=''
  copy "$1"; with_jars "$1"
  mkdir -p "$pg/bin" "$pg/data"; echo 14 >"$pg/data/PG_VERSION"
  printf '#!/bin/sh\n[ "$1" = --version ] && exit 0\nsleep 3; echo $$ >"%s"; exec sleep 300\n' "$pg/data/postmaster.pid" >"$pg/bin/postgres"
  : >"$1/pg_ctl.pids"; : >"$1/postmaster.pids"; : >"$1/pg_ctl.stops"; chmod 666 "$1"/*.pids "$1/pg_ctl.stops" # (nobody's as root)
  # (in a session of its own where there is setsid, as pg_ctl puts PostgreSQL: not stopped with pg_ctl's process group)
  [ -z "${3:-}" ] || fork=$(printf '%s"%s" -D "%s" </dev/null >/dev/null 2>&1 & echo $! >>"%s"; ' \
    "$(command -v setsid >/dev/null && echo 'setsid ')" "$pg/bin/postgres" "$pg/data" "$1/postmaster.pids")
  printf '#!/bin/sh\ncase " $* " in\n *" status "*) exit 3 ;;\n *" start "*) %secho $$ >>"%s"; %s ;;\n *" stop "*) echo stop >>"%s"; [ ! -f "%s" ] || kill $(cat "%s") ;;\nesac\n' \
    "$fork" "$1/pg_ctl.pids" "$2" "$1/pg_ctl.stops" "$pg/data/postmaster.pid" "$pg/data/postmaster.pid" >"$pg/bin/pg_ctl"
  chmod 755 "$pg/bin/postgres" "$pg/bin/pg_ctl"
}
up_in_pg_ctl() { # dir [forks]: an up started there, now in its fake pg_ctl's start, which hangs ($up); forks: as fake_pg's
  fake_pg "$1" "exec sleep 300" "${2:-}"
  NANOLET_STATE="$1/state" "$1/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
  pids+=("$up")
  for _ in $(seq 1 600); do [ -s "$1/pg_ctl.pids" ] && break; sleep 0.2; done
  [ -s "$1/pg_ctl.pids" ] || fail "up did not get to pg_ctl's start"
  postmaster=$(cat "$1/postmaster.pids")
  pids+=("$(cat "$1/pg_ctl.pids")" $postmaster)
}
up_in_pg_ctl "$tmp/d"
cp -R "$tmp/d/state/classes" "$tmp/tools" # (its stamp with them: an up that finds them not its own compiles them again)
kill -TERM "$up"
for _ in $(seq 1 10); do grep -q "up stopped" "$tmp/out.txt" && break; sleep 0.2; done # (2 s)
grep -q "up stopped" "$tmp/out.txt" || fail "up killed while pg_ctl started PostgreSQL did not stop within 2 s"
for _ in $(seq 1 50); do kill -0 "$up" 2>/dev/null || break; sleep 0.2; done # (runuser gives its command 2 s)
! kill -0 "$up" 2>/dev/null || fail "up killed while pg_ctl started PostgreSQL did not end within 10 s"
up_rc=0; wait "$up" || up_rc=$?
[ "$up_rc" = 143 ] || fail "up killed while pg_ctl started PostgreSQL ended with $up_rc, not 143"
! alive "$(cat "$tmp/d/pg_ctl.pids")" || fail "up killed while pg_ctl started PostgreSQL left pg_ctl running"
[ -s "$tmp/d/pg_ctl.stops" ] || fail "up killed while pg_ctl started PostgreSQL did not stop PostgreSQL"
! command -v flock >/dev/null || flock -n "$tmp/d/state/up.lock" true || fail "up killed while pg_ctl started PostgreSQL left its lock held"
echo "== up-stop-check: up killed while pg_ctl started PostgreSQL stopped at once, pg_ctl and PostgreSQL with it"
# as root, PostgreSQL's steps run through runuser, which forks its command, then sets the handler that passes a TERM on
# to it: a TERM in between killed runuser alone, and pg_ctl ran on (once in ~35 runs of the case above). Held open here
# by a runuser that dies of a TERM and leaves its command running: up stops the command with it
if [ "$(id -u)" = 0 ]; then
  mkdir "$tmp/racy"; printf '#!/bin/sh\nshift 3\n"$@" &\nwait $!\n' >"$tmp/racy/runuser"; chmod 755 "$tmp/racy/runuser"
  PATH="$tmp/racy:$PATH" up_in_pg_ctl "$tmp/u"
  kill -TERM "$up"
  for _ in $(seq 1 50); do kill -0 "$up" 2>/dev/null || break; sleep 0.2; done
  ! kill -0 "$up" 2>/dev/null || fail "up killed while runuser ran pg_ctl did not end within 10 s"
  up_rc=0; wait "$up" || up_rc=$?
  [ "$up_rc" = 143 ] || fail "up killed while runuser ran pg_ctl ended with $up_rc, not 143"
  for _ in $(seq 1 10); do alive "$(cat "$tmp/u/pg_ctl.pids")" || break; sleep 0.2; done
  ! alive "$(cat "$tmp/u/pg_ctl.pids")" || fail "up killed as runuser had forked pg_ctl and died left pg_ctl running"
  echo "== up-stop-check: up killed as runuser had forked pg_ctl, and runuser with it, stopped pg_ctl"
fi
# and a job that swallowed the TERM before it ran setsid (as a job's shell may, see end in nanolet) leads a group of its
# own by the time up kills it 10 s on: that kill goes to the group too. Sent to the job's pid alone, as the TERM was, it
# killed runuser and left pg_ctl running. Here a setsid that swallows the TERM, then runs the real one
if [ "$(id -u)" = 0 ] && command -v setsid >/dev/null; then
  sw="$tmp/swallow"; fake_pg "$sw" "exec sleep 300"; mkdir "$sw/bin"
  printf '#!/bin/sh\ngot=\ntrap got=1 TERM\n: >"%s"\nwhile [ -z "$got" ]; do sleep 0.1; done\nexec "%s" "$@"\n' \
    "$sw/swallowing" "$(command -v setsid)" >"$sw/bin/setsid"; chmod 755 "$sw/bin/setsid"
  PATH="$sw/bin:$PATH" NANOLET_STATE="$sw/state" "$sw/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
  pids+=("$up")
  for _ in $(seq 1 600); do [ -e "$sw/swallowing" ] && break; sleep 0.2; done
  [ -e "$sw/swallowing" ] || fail "up did not get to the setsid of pg_ctl's start"
  kill -TERM "$up"
  for _ in $(seq 1 150); do kill -0 "$up" 2>/dev/null || break; sleep 0.2; done
  ! kill -0 "$up" 2>/dev/null || fail "up killed while its job swallowed the TERM did not end within 30 s"
  up_rc=0; wait "$up" || up_rc=$?
  [ "$up_rc" = 143 ] || fail "up killed while its job swallowed the TERM ended with $up_rc, not 143"
  [ -s "$sw/pg_ctl.pids" ] || fail "the job that swallowed up's TERM did not start pg_ctl before up killed it"
  pids+=("$(cat "$sw/pg_ctl.pids")")
  for _ in $(seq 1 10); do alive "$(cat "$sw/pg_ctl.pids")" || break; sleep 0.2; done
  ! alive "$(cat "$sw/pg_ctl.pids")" || fail "up killed (-9) the job that swallowed its TERM and left pg_ctl running"
  echo "== up-stop-check: a job that swallowed up's TERM, then started runuser and pg_ctl, was killed with pg_ctl"
fi

# killed in the instant after pg_ctl forked PostgreSQL and before PostgreSQL wrote its postmaster.pid (here a
# fake that writes it 3 s on, past runuser's 2 s for its killed command): pg_ctl stop found no PostgreSQL
# then, and the one pg_ctl started stayed running
up_in_pg_ctl "$tmp/p" forks
kill -TERM "$up"
for _ in $(seq 1 100); do kill -0 "$up" 2>/dev/null || break; sleep 0.2; done
! kill -0 "$up" 2>/dev/null || fail "up killed as pg_ctl forked PostgreSQL did not end within 20 s"
up_rc=0; wait "$up" || up_rc=$?
[ "$up_rc" = 143 ] || fail "up killed as pg_ctl forked PostgreSQL ended with $up_rc, not 143"
for _ in $(seq 1 10); do alive "$postmaster" || break; sleep 0.2; done
! alive "$postmaster" || fail "up killed before PostgreSQL wrote its postmaster.pid left that PostgreSQL running"
echo "== up-stop-check: up killed before the PostgreSQL pg_ctl forked wrote its postmaster.pid stopped it"

# down while an up is still starting (down takes no lock, so as not to wait behind a hung up): that up is
# stopped, with what it started, before down returns; it would otherwise go on to start the platform
for g in g h; do # with flock, then without (its lock directory), as on macOS
  path=$PATH; [ $g = g ] || path=$nof
  PATH=$path up_in_pg_ctl "$tmp/$g"
  PATH=$path NANOLET_STATE="$tmp/$g/state" "$tmp/$g/nanolet" down >"$tmp/down.txt" 2>&1 || { cat "$tmp/down.txt" >&2; fail "down failed"; }
  ! kill -0 "$up" 2>/dev/null || fail "down left the up that was starting running"
  up_rc=0; wait "$up" || up_rc=$?
  [ "$up_rc" = 143 ] || fail "the up that down stopped ended with $up_rc, not 143"
  ! alive "$(cat "$tmp/$g/pg_ctl.pids")" || fail "down left the starting up's pg_ctl running"
  grep -q "stopping the ./nanolet up (pid $up) that is starting the platform" "$tmp/down.txt" || fail "down did not say it stopped the up"
  [ ! -e "$tmp/$g/state/up.lock.d" ] || fail "the up that down stopped left its lock directory"
done
echo "== up-stop-check: down while an up was starting stopped that up and what it started"

# an up waiting behind the lock of the up that down stops (down: stop this state directory's platform) gives up,
# saying so, rather than start the platform again once it has the lock; and an up started after that down is not
# refused (it gets to pg_ctl's start)
for w in w x; do # with flock, then without
  path=$PATH; [ $w = w ] || path=$nof
  PATH=$path up_in_pg_ctl "$tmp/$w"; first=$up
  : >"$tmp/waiter.txt" # (now: the job's own redirection empties it a moment on, after the look below at the last one's)
  PATH=$path NANOLET_STATE="$tmp/$w/state" "$tmp/$w/nanolet" up >"$tmp/waiter.txt" 2>&1 & waiter=$!
  pids+=("$waiter")
  for _ in $(seq 1 300); do grep -q "waiting for it" "$tmp/waiter.txt" && break; sleep 0.2; done # (a JVM's start: find-java.sh)
  grep -q "waiting for it" "$tmp/waiter.txt" || { cat "$tmp/waiter.txt" >&2; fail "the second up did not wait for the first"; }
  PATH=$path NANOLET_STATE="$tmp/$w/state" "$tmp/$w/nanolet" down >"$tmp/down.txt" 2>&1 || { cat "$tmp/down.txt" >&2; fail "down failed"; }
  up_rc=0; wait "$first" || up_rc=$?
  [ "$up_rc" = 143 ] || fail "the up that down stopped ended with $up_rc, not 143"
  for _ in $(seq 1 150); do kill -0 "$waiter" 2>/dev/null || break; sleep 0.2; done # (30 s)
  ! kill -0 "$waiter" 2>/dev/null || { cat "$tmp/waiter.txt" >&2; fail "the up that waited went on after down"; }
  up_rc=0; wait "$waiter" || up_rc=$?
  { [ "$up_rc" = 1 ] && grep -qF "./nanolet down stopped the platform in $tmp/$w/state while this up waited" "$tmp/waiter.txt"; } ||
    { cat "$tmp/waiter.txt" >&2; fail "the up that waited ended with $up_rc without saying that down stopped the platform"; }
  [ "$(wc -l <"$tmp/$w/pg_ctl.pids")" = 1 ] || fail "the up that waited started PostgreSQL after down"
  PATH=$path NANOLET_STATE="$tmp/$w/state" "$tmp/$w/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
  pids+=("$up")
  for _ in $(seq 1 300); do [ "$(wc -l <"$tmp/$w/pg_ctl.pids")" = 2 ] && break; sleep 0.2; done
  [ "$(wc -l <"$tmp/$w/pg_ctl.pids")" = 2 ] || fail "an up started after down did not get to PostgreSQL's start"
  pids+=("$(sed -n 2p "$tmp/$w/pg_ctl.pids")")
  kill -TERM "$up"; wait "$up" || true
done
echo "== up-stop-check: an up waiting for the one down stopped gave up; one started after down did not"
# an up started while down stops the platform (here in its 20 s wait for a platform-api that ignores SIGTERM) waits for
# down, which holds up's lock, then starts the platform: it went on at once, and started parts of it (here PostgreSQL)
# or took them for running while down stopped the rest
r="$tmp/r"; fake_pg "$r" "exec sleep 300"; mkdir -p "$r/state/pids"
# (not a job of this shell's, which would report it "Killed"; 5 minutes at most: this check's TERM on failure leaves it;
# -jar and its jar among its arguments, as up's platform-api has them: up takes no other process for its own)
stubborn=$(sh -c "trap 'echo term >>\"$r/terms\"' TERM; i=0; while [ \$i -lt 300 ]; do sleep 1; i=\$((i + 1)); done" \
  sh -jar "$r/platform-api/target/platform-api-0.1.0-SNAPSHOT.jar" </dev/null >/dev/null 2>&1 & echo $!)
pids+=("$stubborn"); echo "$stubborn" >"$r/state/pids/platform-api.pid"
NANOLET_STATE="$r/state" "$r/nanolet" down >"$tmp/down.txt" 2>&1 & down=$!
pids+=("$down")
for _ in $(seq 1 150); do [ -s "$r/terms" ] && break; sleep 0.2; done
[ -s "$r/terms" ] || { cat "$tmp/down.txt" >&2; fail "down did not get to stopping platform-api"; }
: >"$tmp/out.txt" # (as waiter.txt above)
NANOLET_STATE="$r/state" "$r/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
pids+=("$up")
for _ in $(seq 1 150); do { grep -q "waiting for it" "$tmp/out.txt" || [ -s "$r/pg_ctl.pids" ]; } && break; sleep 0.2; done
[ ! -s "$r/pg_ctl.pids" ] || fail "an up started while down stopped the platform started PostgreSQL before down ended"
grep -q "waiting for it" "$tmp/out.txt" || fail "an up started while down stopped the platform did not wait for down"
wait "$down" || { cat "$tmp/down.txt" >&2; fail "down failed"; }
for _ in $(seq 1 300); do [ -s "$r/pg_ctl.pids" ] && break; sleep 0.2; done
[ -s "$r/pg_ctl.pids" ] || fail "the up that waited for down did not go on to start PostgreSQL once down ended"
pids+=("$(cat "$r/pg_ctl.pids")")
kill -TERM "$up"; wait "$up" || true
echo "== up-stop-check: an up started while down stopped the platform waited for down, then started it"
# down by a user who cannot write the state directory (here nobody, in root's), nothing of theirs running there: it
# ends as before down left its stamp, 0, rather than stop at that stamp with "Permission denied"
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
  runuser -u nobody -- env JAVA_HOME="$JAVA_HOME" NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" down >"$tmp/out.txt" 2>&1 ||
    fail "down by a user who cannot write the state directory failed"
  echo "== up-stop-check: down by a user who cannot write the state directory ended as before"
fi
# down of a state directory that is not there (a mistyped NANOLET_STATE), as root, makes no /var/tmp/nanolet-<number>/
# where PostgreSQL would have gone (nobody cannot reach the path): there is no PostgreSQL of it to stop
if [ "$(id -u)" = 0 ]; then
  gone="$tmp/gone/state"; base=/var/tmp/nanolet-$(echo "$gone" | cksum | cut -d' ' -f1)
  NANOLET_STATE="$gone" "$tmp/a/nanolet" down >"$tmp/out.txt" 2>&1 || fail "down of a state directory that is not there failed"
  [ ! -e "$base" ] || { rmdir "$base"; fail "down of a state directory that is not there made $base"; }
  echo "== up-stop-check: down of a state directory that is not there made no directory for PostgreSQL"
fi

# a signal between starting the build's output filter and starting Maven (up's test hook sends it there, noting
# the filter's pid in test-stop): the filter does not stay behind, waiting on the FIFO the trap removed. And the
# hook before it, shell code up ran with eval, runs no more
copy "$tmp/e"
NANOLET_TEST_AFTER_FILTER="touch '$tmp/e/evaluated'" NANOLET_TEST_STOP_AT=filter NANOLET_STATE="$tmp/e/state" \
  "$tmp/e/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
pids+=("$up")
for _ in $(seq 1 300); do kill -0 "$up" 2>/dev/null || break; sleep 0.2; done
! kill -0 "$up" 2>/dev/null || fail "up killed after its filter started did not end within a minute"
stopped_by_hook "$tmp/e" "its build's filter" "the filter"
[ ! -s "$tmp/e/maven.pids" ] || ! alive "$(cat "$tmp/e/maven.pids")" || fail "up killed after its filter started left Maven running"
[ ! -e "$tmp/e/state/build-output" ] || fail "up killed after its filter started left its build's FIFO"
[ ! -e "$tmp/e/evaluated" ] || fail "up ran NANOLET_TEST_AFTER_FILTER's shell code"
echo "== up-stop-check: up killed between its build's filter and Maven left neither running"

# a new secrets key is saved before platform-api starts: an up killed (kill -9: no trap) as it starts platform-api
# leaves the key platform-api seals under in secrets-key and the old one in secrets-key.previous, both 600; saved
# once platform-api answered, they held the old key alone. A key platform-api would refuse is refused before
# anything starts, as it would otherwise be saved. A PostgreSQL whose start returns at once; the jars empty
k="$tmp/k"; fake_pg "$k" "exit 0"
# platform-api's port, which up checks is free before it starts it: from NANOLET_API_PORT's or 28190 up
export NANOLET_API_PORT=${NANOLET_API_PORT:-28190}
while (exec 3<>"/dev/tcp/127.0.0.1/$NANOLET_API_PORT") 2>/dev/null; do NANOLET_API_PORT=$((NANOLET_API_PORT + 1)); done
old_key=$(head -c 32 /dev/urandom | base64) new_key=$(head -c 32 /dev/urandom | base64)
if NANOLET_SECRETS_KEY=not-a-key NANOLET_STATE="$k/state" "$k/nanolet" up >"$tmp/out.txt" 2>&1 ||
  ! grep -qF "NANOLET_SECRETS_KEY is not base64 of 32 bytes" "$tmp/out.txt" || [ -e "$k/state/secrets-key" ]; then
  fail "up with a NANOLET_SECRETS_KEY that is no key did not refuse it at once"
fi
for previous in '' "$old_key"; do # none; the saved key, as an up killed between saving the two files leaves it
  printf '%s\n' "$old_key" >"$k/state/secrets-key"; rm -f "$k/state/secrets-key.previous"
  [ -z "$previous" ] || printf '%s\n' "$previous" >"$k/state/secrets-key.previous"
  NANOLET_TEST_STOP_AT=launched-platform-api:KILL NANOLET_SECRETS_KEY=$new_key NANOLET_SECRETS_KEY_PREVIOUS=$old_key \
    NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
  up_rc=0; { wait "$up"; } 2>/dev/null || up_rc=$? # (not bash's "Killed")
  { [ "$up_rc" = 137 ] && [ -s "$k/state/test-stop" ]; } || fail "up with a new key ended with $up_rc, not killed as it started platform-api"
  { [ "$(cat "$k/state/secrets-key")" = "$new_key" ] && [ "$(cat "$k/state/secrets-key.previous")" = "$old_key" ]; } ||
    fail "up killed as it started platform-api with a new key had not saved it (secrets-key.previous: ${previous:-none})"
  [ -z "$(find "$k/state/secrets-key" "$k/state/secrets-key.previous" ! -perm 600)" ] ||
    fail "the saved keys are not 600: $(ls -l "$k/state"/secrets-key*)"
  rm "$k/state/test-stop"
done
echo "== up-stop-check: a new secrets key was saved before platform-api started; one that is no key was refused"
# the key and the tokens are each written whole: up killed (kill -9) as it saves the admin token, its text in a temporary
# file not moved over admin-token yet, leaves no admin-token (written in place, one cut short there was the next up's
# token); and the next up removes that temporary file and saves a whole token, 600. Stopped with TERM as it saves a
# key, up's trap removes the key's temporary file
temps() { find "$k/state" -maxdepth 1 -name '*.tmp.*' ! -name notes.tmp.backup; }
rm -f "$k/state/admin-token"
NANOLET_TEST_STOP_AT=saving-admin-token:KILL NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
up_rc=0; { wait "$up"; } 2>/dev/null || up_rc=$?
[ "$up_rc" = 137 ] || fail "up ended with $up_rc, not killed as it saved the admin token"
[ ! -e "$k/state/admin-token" ] || fail "up killed as it saved the admin token left an admin-token: '$(cat "$k/state/admin-token")'"
[ -n "$(temps)" ] || fail "up killed as it saved the admin token left no temporary file for the next up to remove"
# and what an up before s26 left so (mktemp's secrets-key.XXXXXX and secrets-key.previous.XXXXXX, one empty, one with a
# key that secrets-key holds too) goes with it; what only looks like a temporary file stays: a user's backup of the key
# (six small letters), a file of theirs with .tmp. in its name, and one of that old name with a key no other file holds
printf '%s\n' "$new_key" >"$k/state/secrets-key.aB3dE9"; : >"$k/state/secrets-key.previous.Zq7Wx2"
cp "$k/state/secrets-key" "$k/state/secrets-key.backup"; echo notes >"$k/state/notes.tmp.backup"
head -c 32 /dev/urandom | base64 >"$k/state/secrets-key.2026Q4"
NANOLET_TEST_STOP_AT=launched-platform-api:KILL NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
up_rc=0; { wait "$up"; } 2>/dev/null || up_rc=$?
[ "$up_rc" = 137 ] || fail "the up after one killed as it saved the admin token ended with $up_rc, not killed as it started platform-api"
[ -z "$(temps)" ] || fail "the up after one killed as it saved the admin token left its temporary file: $(temps)"
[ ! -e "$k/state/secrets-key.aB3dE9" ] && [ ! -e "$k/state/secrets-key.previous.Zq7Wx2" ] ||
  fail "the up after one killed as it saved the admin token left an older up's temporary key: $(ls "$k/state")"
for f in secrets-key.backup notes.tmp.backup secrets-key.2026Q4; do [ -s "$k/state/$f" ] || fail "up removed a user's $f"; done
rm "$k/state/secrets-key.backup" "$k/state/notes.tmp.backup" "$k/state/secrets-key.2026Q4"
{ grep -qE '^[0-9a-f]{48}$' "$k/state/admin-token" && [ -z "$(find "$k/state/admin-token" ! -perm 600)" ]; } ||
  fail "the up after one killed as it saved the admin token saved no whole token, 600: $(ls -l "$k/state/admin-token")"
mv "$k/state/secrets-key" "$k/saved-key"; rm "$k/state/test-stop"
NANOLET_TEST_STOP_AT=saving-secrets-key NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
up_rc=0; wait "$up" || up_rc=$?
{ [ "$up_rc" = 143 ] && [ -s "$k/state/test-stop" ]; } || fail "up ended with $up_rc, not stopped as it saved the secrets key"
[ -z "$(temps)" ] || fail "up stopped as it saved the secrets key left its temporary file: $(temps)"
mv "$k/saved-key" "$k/state/secrets-key"; rm "$k/state/test-stop"
echo "== up-stop-check: the admin token and the key were saved whole, and no temporary file of theirs stayed"

# a signal between platform-api's start and the note of its pid (up's test hook sends it there, noting the pid):
# platform-api is stopped all the same. Here a platform-api that stays up 5 minutes, as the real one would; no Spring Boot
# jar, it refuses up's extraction (-Djarmode=tools), and up starts it from the jar (the real one's extraction: up-check)
mkdir "$k/wait"; printf 'class Wait { public static void main(String[] a) throws Exception { if (System.getProperty("jarmode") != null) System.exit(1); Thread.sleep(300_000); } }\n' >"$k/wait/Wait.java"
"$JAVA_HOME/bin/javac" -d "$k/wait" "$k/wait/Wait.java"
"$JAVA_HOME/bin/jar" cfe "$k/platform-api/target/platform-api-0.1.0-SNAPSHOT.jar" Wait -C "$k/wait" Wait.class
NANOLET_TEST_STOP_AT=launched-platform-api NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
stopped_by_hook "$k" "platform-api's start" platform-api
[ ! -e "$k/state/pids/platform-api.pid" ] || fail "up killed at platform-api's start left its pid file"
grep -q "extracting .*platform-api-0.1.0-SNAPSHOT.jar failed, .*: platform-api starts from it" "$tmp/out.txt" ||
  fail "up did not say that platform-api's jar could not be extracted"
echo "== up-stop-check: up killed between platform-api's start and the note of its pid stopped it"
# a signal between the start of the wait for platform-api's health and the note of its pid (the hook notes it): the
# wait stops with up, not 120 s later (the trap that stopped it was set after it started)
NANOLET_TEST_STOP_AT=awaiting-platform-api NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
stopped_by_hook "$k" "the wait for platform-api" "that wait"
echo "== up-stop-check: up killed as it started its wait for platform-api stopped that wait"
# no process up starts holds its lock's descriptor (fd 9), so the lock goes with up however it ends: the half-second
# sleep of its wait for platform-api's health held it, and a kill -9 of up left the lock held for up to half a second
# (Linux's /proc names who holds the file open; with flock only). Here a platform-api that never answers
lock_holders() { # file shell: the processes that hold file open and run a program, not shell (up's subshells hold it from
  # their fork to the redirection that closes it, an instant; a program as long as it runs): its name read first, then
  # the descriptor again, so what is named had run its program by then and holds the file still
  local fd pid
  for fd in $(find /proc/[0-9]*/fd -lname "$1" 2>/dev/null); do
    pid=${fd#/proc/}; pid=${pid%%/*}
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || [ "$(readlink "$fd" 2>/dev/null)" != "$1" ] || echo "$pid"
  done
}
if command -v flock >/dev/null && [ -d /proc/self/fd ]; then
  NANOLET_STATE="$k/state" "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$! # (not under timeout: $up is up itself)
  pids+=("$up")
  for _ in $(seq 1 300); do [ -s "$k/state/pids/platform-api.pid" ] && break; sleep 0.2; done
  [ -s "$k/state/pids/platform-api.pid" ] || fail "up did not get to its wait for platform-api"
  pids+=("$(cat "$k/state/pids/platform-api.pid")") # (a failure below leaves it, up's child, to this check's TERM)
  shell=$(cat "/proc/$up/comm")
  for _ in $(seq 1 10); do
    holders=$(lock_holders "$k/state/up.lock" "$shell")
    [ -z "$holders" ] || fail "processes up started hold its lock: $(ps -o pid=,args= -p "${holders//$'\n'/,}")"
    sleep 0.2
  done
  started=$(ps -o pid= --ppid "$up"); pids+=($started) # (platform-api and the wait, which a kill -9 leaves)
  kill -9 "$up"; { wait "$up"; } 2>/dev/null || true # (not bash's "Killed")
  holders=$(lock_holders "$k/state/up.lock" "$shell")
  [ -z "$holders" ] || fail "up killed (kill -9) as it waited for platform-api left its lock held by $(ps -o args= -p "${holders//$'\n'/,}")"
  flock -w 30 "$k/state/up.lock" true || fail "up killed (kill -9) as it waited for platform-api left its lock held"
  echo "== up-stop-check: nothing up started held its lock, which went with up's kill -9"
  # the platform-api that up left is up's, by its command line (no child of the status, up and down that follow): status
  # says it runs, the next up takes it for running (and, stopped, leaves it: an up before it started it), down stops it
  api=$(cat "$k/state/pids/platform-api.pid")
  NANOLET_STATE="$k/state" "$k/nanolet" status >"$tmp/out.txt" 2>&1 || true
  grep -qx "platform-api: running (pid $api)" "$tmp/out.txt" || fail "status did not take the platform-api an up left for running"
  NANOLET_TEST_STOP_AT=awaiting-platform-api NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 & up=$!
  up_rc=0; wait "$up" || up_rc=$?
  { [ "$up_rc" = 143 ] && grep -q "platform-api already running" "$tmp/out.txt"; } ||
    fail "the next up did not take the platform-api an up left for running (it ended with $up_rc)"
  alive "$api" || fail "an up stopped the platform-api an up before it started"
  NANOLET_STATE="$k/state" "$k/nanolet" down >"$tmp/out.txt" 2>&1 || fail "down failed"
  ! alive "$api" && [ ! -e "$k/state/pids/platform-api.pid" ] || fail "down left the platform-api an up left running"
  kill $started 2>/dev/null || true; rm -f "$k/state/test-stop"
  echo "== up-stop-check: status, up and down took the platform-api an up left for up's"
fi
# a hook's signal up cannot send is refused before anything starts: refused at its step, up stopped with platform-api
# started and not noted, left running with no pid file
if NANOLET_TEST_STOP_AT=launched-platform-api:HUP NANOLET_STATE="$k/state" timeout 120 "$k/nanolet" up >"$tmp/out.txt" 2>&1 ||
  ! grep -qF "NANOLET_TEST_STOP_AT=launched-platform-api:HUP: the signal is TERM, INT or KILL" "$tmp/out.txt" ||
  grep -q "starting platform-api" "$tmp/out.txt"; then fail "up with NANOLET_TEST_STOP_AT's signal HUP did not refuse it before it started anything"; fi
echo "== up-stop-check: a hook's signal up cannot send was refused before anything started"

# a PostgreSQL fetch whose ./mvnw fails before Maven says any [ERROR] (no JDK it takes, its own download
# refused): the log's last lines are shown, not nothing
f="$tmp/f"; mkdir -p "$f/home"; copy "$f"; with_jars "$f"
printf '#!/bin/sh\necho "Error: Could not find or load main class org.apache.maven.wrapper.MavenWrapperMain"\nexit 1\n' >"$f/mvnw"
if HOME="$f/home" NANOLET_STATE="$f/state" timeout 120 "$f/nanolet" up >"$tmp/out.txt" 2>&1; then fail "up whose ./mvnw failed did not fail"; fi
grep -q "^Error: Could not find or load main class" "$tmp/out.txt" || fail "up did not show the fetch's log when it held no [ERROR]"
echo "== up-stop-check: a PostgreSQL fetch that failed without an [ERROR] showed its log's last lines"
# and one whose Maven said more [ERROR] lines than a pipe holds: up shows the first 20 and says what failed (it ended at
# once, silent, 141: under pipefail the sed that picks them was cut off by the head that keeps 20)
printf '#!/bin/sh\nseq 1 5000 | sed "s/^/[ERROR] a failure of Maven, line /"\nexit 1\n' >"$f/mvnw"
if HOME="$f/home" NANOLET_STATE="$f/state" timeout 120 "$f/nanolet" up >"$tmp/out.txt" 2>&1; then fail "up whose ./mvnw failed did not fail"; fi
[ "$(grep -c '^\[ERROR\] a failure of Maven' "$tmp/out.txt")" = 20 ] && grep -qF "from Maven Central failed (Maven's output above" "$tmp/out.txt" ||
  { cat "$tmp/out.txt" >&2; fail "up whose fetch failed with 5000 [ERROR] lines did not show 20 of them and what failed"; }
echo "== up-stop-check: a PostgreSQL fetch that failed with thousands of [ERROR] lines showed 20, and what failed"
# on a machine without the xz tool (a stock Mac) and no xz jar in ~/.m2 (the PostgreSQL jar there: a stand-in holding a
# .txz), up fetches the xz jar and, when that fails, says so: it ended at once, silent (the ls that found no xz jar failed
# under pipefail)
nox="$tmp/path-without-xz"; mkdir "$nox"
for d in ${PATH//:/ }; do ln -s "$d"/* "$nox/" 2>/dev/null || true; done # the first of a name wins, as in PATH
rm -f "$nox/xz"
zonky=$(. scripts/pg-artifact.sh; pg_artifact | { read -r a v; echo "io/zonky/test/postgres/$a/$v/$a-$v.jar"; })
mkdir -p "$tmp/txz" "$(dirname "$f/home/.m2/repository/$zonky")"; touch "$tmp/txz/postgres-linux-x86_64.txz"
"$JAVA_HOME/bin/jar" cf "$f/home/.m2/repository/$zonky" -C "$tmp/txz" .
printf '#!/bin/sh\necho "$*" >>"%s"\nexit 1\n' "$f/maven.args" >"$f/mvnw"
if PATH=$nox HOME="$f/home" NANOLET_STATE="$f/state" timeout 120 "$f/nanolet" up >"$tmp/out.txt" 2>&1; then fail "up whose xz fetch failed did not fail"; fi
grep -q "org.tukaani:xz" "$f/maven.args" && grep -qF "this machine has no xz, and fetching org.tukaani:xz:1.11" "$tmp/out.txt" ||
  fail "up without xz, whose fetch of the xz jar failed, did not fetch it or say so"
echo "== up-stop-check: up on a machine without xz or its jar fetched the jar, and said so when that failed"

# a PostgreSQL fetch that fails (Maven's repository unreachable; jars there, so up builds nothing) shows
# Maven's error lines and what to check; the real ./mvnw with its Maven, a home whose ~/.m2 has no PostgreSQL
c="$tmp/c"; mkdir -p "$c/home"
cp -R "$real/nanolet" "$real/scripts" "$real/mvnw" "$real/.mvn" "$c/"
with_jars "$c"
cat >"$c/settings.xml" <<EOF
<settings>
  <localRepository>$c/home/.m2/repository</localRepository>
  <mirrors><mirror><id>unreachable</id><mirrorOf>*</mirrorOf><url>https://127.0.0.1:9/maven2</url></mirror></mirrors>
</settings>
EOF
if HOME="$c/home" MAVEN_USER_HOME="${MAVEN_USER_HOME:-$HOME/.m2}" MAVEN_ARGS="-s $c/settings.xml" NANOLET_STATE="$c/state" \
  timeout 300 "$c/nanolet" up >"$tmp/out.txt" 2>&1; then fail "up with Maven's repository unreachable did not fail"; fi
grep -q '^\[ERROR\] .*https://127.0.0.1:9/maven2' "$tmp/out.txt" || fail "up did not show Maven's error when the PostgreSQL fetch failed"
grep -qF "check that this machine reaches https://repo.maven.apache.org, and behind a proxy" "$tmp/out.txt" ||
  fail "up did not say what to check when the PostgreSQL fetch failed"
echo "== up-stop-check: a PostgreSQL fetch that failed showed Maven's errors and what to check"

# status with node ports that name no port refuses them as up does (bash 3.2 would stop on an empty array)
if NANOLET_STATE="$tmp/a/state" NANOLET_NODE_PORTS="," "$real/nanolet" status >"$tmp/out.txt" 2>&1 ||
  ! grep -qF "NANOLET_NODE_PORTS names no port" "$tmp/out.txt"; then fail "status with NANOLET_NODE_PORTS=, did not refuse it"; fi
echo "== up-stop-check: status refused NANOLET_NODE_PORTS=,"

# a pid file that names a process not up's (after a reboot, pids are handed out again: an editor's, a shell's): status
# says stopped, and down stops not that process but removes the file (it stopped it, as root whatever it was)
other=$(sleep 300 </dev/null >/dev/null 2>&1 & echo $!) # (not a job of this shell's, which would report it "Terminated")
pids+=("$other"); mkdir -p "$tmp/a/state/pids"; echo "$other" >"$tmp/a/state/pids/admin-ui.pid"
NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" status >"$tmp/out.txt" 2>&1 || true
grep -qx "admin-ui: stopped" "$tmp/out.txt" || fail "status took another process for admin-ui"
NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" down >"$tmp/out.txt" 2>&1 || fail "down failed"
alive "$other" || fail "down stopped a process that is not up's (pid $other), named by a stale pid file"
[ ! -e "$tmp/a/state/pids/admin-ui.pid" ] || fail "down left the stale pid file"
# where ps takes no -p (busybox's), status says what the pid alone says, as before: refused, it took up's own for gone
mkdir "$tmp/bad-ps"; printf '#!/bin/sh\necho "ps: invalid option -- p" >&2\nexit 1\n' >"$tmp/bad-ps/ps"; chmod 755 "$tmp/bad-ps/ps"
echo "$other" >"$tmp/a/state/pids/admin-ui.pid"
PATH="$tmp/bad-ps:$PATH" NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" status >"$tmp/out.txt" 2>&1 || true
grep -qx "admin-ui: running (pid $other)" "$tmp/out.txt" || fail "status with a ps that takes no -p did not go by the pid alone"
printf %s "$other" >"$tmp/a/state/pids/admin-ui.pid" # (and one without its final newline, as printf %s writes it)
PATH="$tmp/bad-ps:$PATH" NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" status >"$tmp/out.txt" 2>&1 || true
grep -qx "admin-ui: running (pid $other)" "$tmp/out.txt" || fail "status with a ps that takes no -p did not read a pid file without its final newline"
rm "$tmp/a/state/pids/admin-ui.pid"; kill "$other"
echo "== up-stop-check: a stale pid file's process, not up's, was not taken for up's nor stopped; with a ps that takes no -p, the pid decided"
# a pid file written by hand without its final newline (printf %s) names up's process as well as one with it: status says
# it runs, down stops it. Read line by line, it named none: status said stopped, and down left the process running
admin_ui() { # format: a process that is up's admin-ui by its command line, named by a pid file written with format
  mine=$(bash -c 'exec -a "java -jar $0/admin-ui/target/admin-ui-0.1.0-SNAPSHOT.jar" sleep 300' "$tmp/a" </dev/null >/dev/null 2>&1 & echo $!)
  pids+=("$mine"); printf "$1" "$mine" >"$tmp/a/state/pids/admin-ui.pid"
}
status_says() { # line what: status says that line of admin-ui
  NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" status >"$tmp/out.txt" 2>&1 || true
  grep -qx "admin-ui: $1" "$tmp/out.txt" || fail "status did not say \"admin-ui: $1\" of a pid file $2"
}
down_stops() { # what: down stops the admin-ui named so and removes its pid file
  NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" down >"$tmp/out.txt" 2>&1 || fail "down failed"
  for _ in $(seq 1 25); do alive "$mine" || break; sleep 0.2; done
  ! alive "$mine" && [ ! -e "$tmp/a/state/pids/admin-ui.pid" ] || fail "down did not stop the process a pid file $1 names"
}
admin_ui %s
status_says "running (pid $mine)" "without its final newline"
down_stops "without its final newline"
echo "== up-stop-check: a pid file without its final newline was read whole, by status and down"
# and for its pid alone: a CRLF's \r cut off (kill -0 refused it: stopped); a second line not part of it (status printed
# both, and down's kill of them failed: it waited 20 s, said it stopped admin-ui and left it running); a 0 or -1 is no
# pid (kill -0 took them for its process group and every process, and ps refused them as busybox's refuses -p: status
# said running, and down would have signalled its own group, then kill -9 -1 every process it may)
admin_ui '%s\r\n'
status_says "running (pid $mine)" "with CRLF"
admin_ui '%s\n1\n'
status_says "running (pid $mine)" "of two lines"
down_stops "in its first of two lines"
for junk in 0 -1; do
  echo "$junk" >"$tmp/a/state/pids/admin-ui.pid"
  status_says stopped "that says $junk"
done
rm "$tmp/a/state/pids/admin-ui.pid"
echo "== up-stop-check: a pid file was read for its pid alone: not its \\r, its second line, nor a 0 or -1"
# up's admin-ui ending between running's kill -0 and its ps (here a ps that ends it, then answers as ps does of a pid not
# there): status says stopped. It said running, as it does where ps takes no -p (busybox's, above)
admin_ui '%s\n'
mkdir "$tmp/gone-ps"; printf '#!/bin/sh\ncase " $* " in *" -p %s "*) kill %s; exit 1 ;; esac\nexec %s "$@"\n' "$mine" "$mine" "$(command -v ps)" >"$tmp/gone-ps/ps"
chmod 755 "$tmp/gone-ps/ps"
PATH="$tmp/gone-ps:$PATH" NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" status >"$tmp/out.txt" 2>&1 || true
grep -qx "admin-ui: stopped" "$tmp/out.txt" || fail "status took an admin-ui that ended between kill -0 and ps for running"
rm "$tmp/a/state/pids/admin-ui.pid"
echo "== up-stop-check: a process that ended between running's kill -0 and ps was not taken for running"
# and a ps that takes -p but not -ww fails on every pid: the pid decides (running's look at its own shell asked ps -p
# alone, which answered, so it took the process for gone: status said stopped, and up started it again)
admin_ui '%s\n'
mkdir "$tmp/ww-ps"; printf '#!/bin/sh\ncase " $* " in *" -ww "*) exit 1 ;; esac\nexec %s "$@"\n' "$(command -v ps)" >"$tmp/ww-ps/ps"
chmod 755 "$tmp/ww-ps/ps"
PATH="$tmp/ww-ps:$PATH" NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" status >"$tmp/out.txt" 2>&1 || true
grep -qx "admin-ui: running (pid $mine)" "$tmp/out.txt" || fail "status with a ps that takes no -ww did not go by the pid alone"
rm "$tmp/a/state/pids/admin-ui.pid"; kill "$mine"
echo "== up-stop-check: with a ps that takes -p but not -ww, the pid decided"
# down and a process writing its class-data archive as it stops (here an admin-ui started with the option, 12 s to stop):
# down says why it waits, and waits for it (up to 2 minutes) rather than kill it 20 s on, which cut the archive short
printf '#!/usr/bin/env bash\ntrap '"'"'sleep 12; touch "$1"; kill $!; exit 0'"'"' TERM\nsleep 300 & touch "$1.ready"; wait\n' >"$tmp/archiving"
bash -c 'exec -a "java -XX:+AutoCreateSharedArchive -jar $0/admin-ui/target/admin-ui-0.1.0-SNAPSHOT.jar" bash "$1" "$2"' \
  "$tmp/a" "$tmp/archiving" "$tmp/archived" </dev/null >/dev/null 2>&1 & mine=$!
pids+=("$mine"); echo "$mine" >"$tmp/a/state/pids/admin-ui.pid"
for _ in $(seq 1 100); do [ -e "$tmp/archived.ready" ] && break; sleep 0.1; done # (its trap set)
NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" down >"$tmp/out.txt" 2>&1 || fail "down failed"
grep -q "admin-ui is still stopping: a first stop writes its class-data archive" "$tmp/out.txt" && [ -e "$tmp/archived" ] ||
  { cat "$tmp/out.txt" >&2; fail "down did not say why it waited for a process writing its archive, or did not let it end"; }
echo "== up-stop-check: down said why it waited for a process writing its class-data archive, and let it end"
# down stops the nodes together: two nodes, each of which, once it has its TERM, ends only after the other has had its
# own (up to a minute; it notes which). One at a time, node-1 waited for node-2's TERM until down killed it (-9) 20 s on,
# and then node-2 stopped: a stop that outlasted a lease while the other node renewed had its replicas evicted onto it
cat >"$tmp/waits-for-other" <<'EOF'
#!/usr/bin/env bash
# me other: on TERM, notes it (me.term) and ends once other.term is there, up to a minute; me.ended says whether it was
trap 'touch "$1.term"; for _ in $(seq 1 300); do [ -e "$2.term" ] && break; sleep 0.2; done
  if [ -e "$2.term" ]; then echo "ended together"; else echo "ended alone"; fi >"$1.ended"; kill $!; exit 0' TERM
sleep 300 & touch "$1.ready"; wait
EOF
for n in 1 2; do
  node=$(bash -c 'exec -a "java -jar $0/node-agent/target/node-agent-0.1.0-SNAPSHOT.jar" bash "$1" "$2" "$3"' \
    "$tmp/a" "$tmp/waits-for-other" "$tmp/node-$n" "$tmp/node-$((3 - n))" </dev/null >/dev/null 2>&1 & echo $!) # (as admin_ui's)
  pids+=("$node"); echo "$node" >"$tmp/a/state/pids/node-$n.pid"
  for _ in $(seq 1 100); do [ -e "$tmp/node-$n.ready" ] && break; sleep 0.1; done # (its trap set)
done
since=$(date +%s)
NANOLET_STATE="$tmp/a/state" "$tmp/a/nanolet" down >"$tmp/out.txt" 2>&1 || fail "down failed"
took=$(($(date +%s) - since))
for n in 1 2; do
  ended=$(cat "$tmp/node-$n.ended" 2>/dev/null || echo 'was killed (-9)')
  [ "$ended" = "ended together" ] || fail "down did not stop the nodes together: node-$n $ended, before the other had its TERM (down took $took s)"
  [ ! -e "$tmp/a/state/pids/node-$n.pid" ] || fail "down left node-$n's pid file"
done
[ "$took" -lt 20 ] || fail "down of two nodes that end together took $took s, as long as one at a time (20 s for node-1, then its kill -9)"
echo "== up-stop-check: down stopped the nodes together, each ending of its own once both had their TERM"

if [ -n "$hung_down" ]; then # (begun first)
  while kill -0 "$hung_down" 2>/dev/null && [ $(($(date +%s) - hung_since)) -lt 200 ]; do sleep 1; done
  ! kill -0 "$hung_down" 2>/dev/null || { cat "$tmp/hung-down.txt" >&2; fail "down behind an up that did not end when stopped waited for its lock past 200 s"; }
  rc=0; wait "$hung_down" || rc=$?
  [ "$rc" = 0 ] && grep -q "has not ended within 2 minutes: stopping what it left" "$tmp/hung-down.txt" ||
    { cat "$tmp/hung-down.txt" >&2; fail "down behind an up that did not end when stopped ended with $rc, or did not say it went on"; }
  kill -9 "$hung_up" 2>/dev/null || true; { wait "$hung_up"; } 2>/dev/null || true # (not bash's "Killed")
  echo "== up-stop-check: down behind an up that did not end when stopped went on 2 minutes on"
fi
