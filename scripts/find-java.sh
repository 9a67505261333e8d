# Sourced by ./mvnw, ./nanolet and .ci/run: points JAVA_HOME at a JDK >= 21.
# Order: $JAVA_HOME if it is >= 21, then `java` on PATH, then /usr/lib/jvm/*, newest first.
# POSIX sh, so that mvnw (#!/bin/sh) can source it.

nanolet_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

nanolet_find_java() {
  case $- in *f*) nanolet_noglob=1; set +f ;; *) nanolet_noglob= ;; esac
  for candidate in "${JAVA_HOME-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      $(ls -d /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(nanolet_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      [ -z "$nanolet_noglob" ] || set -f
      return 0
    fi
  done
  echo "Nanolet needs a JDK 21 or newer: none found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
  echo "Install one (for example 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME." >&2
  return 1
}

nanolet_find_java || exit 1
