# nanolet/jdk:21 — what a user with Debian's JDK 21 has: openjdk-21-jdk-headless (javac included: ./nanolet up compiles
# its scripts) and procps (ps) on the local Debian trixie root (scripts/base-images.sh); no xz, so up unpacks PostgreSQL
# with scripts/Untxz.java. scripts/up-jdk21-check.sh runs ./nanolet up in it.
FROM nanolet/debian:trixie
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-21-jdk-headless procps \
 && rm -rf /var/lib/apt/lists/*
