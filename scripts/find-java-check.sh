#!/usr/bin/env bash
# scripts/find-java.sh, which ./nanolet, ./mvnw and .ci/run source on every call: a JAVA_HOME that is a JDK
# >= 21 is taken without starting the java on PATH (a JVM start, a few tenths of a second more for every
# ./nanolet command), and the java on PATH is still asked when JAVA_HOME is no JDK.
# Run by scripts/test.sh; a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
jdk=$JAVA_HOME
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
# a java on PATH that notes each time it runs
printf '#!/bin/sh\necho "$*" >>"%s/ran"\nexec "%s/bin/java" "$@"\n' "$dir" "$jdk" >"$dir/java"; chmod +x "$dir/java"
found() { PATH="$dir:$PATH" JAVA_HOME=$1 sh -c '. scripts/find-java.sh && echo "$JAVA_HOME"' 2>&1 || true; }

failed=0
got=$(found "$jdk")
if [ "$got" != "$jdk" ]; then echo "JAVA_HOME=$jdk: find-java.sh chose '$got'" >&2; failed=1
elif [ -e "$dir/ran" ]; then echo "JAVA_HOME=$jdk: find-java.sh started the java on PATH as well: $(cat "$dir/ran")" >&2; failed=1
else echo "== JAVA_HOME a JDK $(nanolet_java_major "$jdk"): taken, the java on PATH not run"; fi
got=$(found /nonexistent)
same() { [ "$(cd "$1" 2>/dev/null && pwd -P)" = "$(cd "$2" && pwd -P)" ]; } # (java.home is the JDK's real path)
if ! same "$got" "$jdk" || [ ! -e "$dir/ran" ]; then echo "JAVA_HOME=/nonexistent: find-java.sh chose '$got' without asking the java on PATH" >&2; failed=1
else echo "== JAVA_HOME no JDK: the java on PATH asked, $got chosen"; fi
exit $failed
