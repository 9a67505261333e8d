# nanolet/jre:21 — a Java 21 runtime on the local Debian trixie root (scripts/base-images.sh).
# A stand-in for eclipse-temurin:21-jre where no public registry is reachable.
FROM nanolet/debian:trixie
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-21-jre-headless ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
