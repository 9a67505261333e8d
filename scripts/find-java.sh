# Sourced by ./mvnw, ./nanolet and .ci/run: points JAVA_HOME at a JDK >= 21.
# Order: $JAVA_HOME if it is >= 21, then `java` on PATH, then the JDKs installed in the usual places
# (Debian's /usr/lib/jvm/*; on macOS /usr/libexec/java_home's, /Library/Java/JavaVirtualMachines/*
# and Homebrew's), newest first.
# POSIX sh, so that mvnw (#!/bin/sh) can source it; and no GNU-only options (macOS has BSD's tools).

nanolet_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# the JDK of the `java` on PATH, as it says itself: not `readlink -f` (macOS's before 12.3 has no -f), and
# macOS's /usr/bin/java is no link but a launcher for the JDK java_home picks
nanolet_path_java_home() {
  command -v java >/dev/null 2>&1 || return 0
  java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p' | head -n 1
}

# sort -V where sort has it (GNU's, newer macOS's), else a plain sort: older macOS's sort has no -V, and
# it fails on the option before it reads a line, so the plain sort gets them all
nanolet_sort_versions() {
  sort -V "$@" 2>/dev/null || sort "$@"
}

nanolet_find_java() {
  case $- in *f*) nanolet_noglob=1; set +f ;; *) nanolet_noglob= ;; esac
  # @path and @java_home are asked only when reached: each starts a JVM, which a good JAVA_HOME spares
  for candidate in "${JAVA_HOME-}" @path @java_home \
      $(ls -d /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
        /opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home /usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
        2>/dev/null | nanolet_sort_versions -r); do
    case $candidate in
      @path) candidate=$(nanolet_path_java_home) ;;
      @java_home) candidate=$( [ ! -x /usr/libexec/java_home ] || /usr/libexec/java_home -v 21+ 2>/dev/null || true) ;;
    esac
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(nanolet_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      [ -z "$nanolet_noglob" ] || set -f
      return 0
    fi
  done
  echo "Nanolet needs a JDK 21 or newer: none found in JAVA_HOME, on PATH or where JDKs are installed." >&2
  echo "Install one (for example 'apt-get install openjdk-21-jdk-headless', or on macOS 'brew install openjdk@21') or set JAVA_HOME." >&2
  return 1
}

nanolet_find_java || exit 1
