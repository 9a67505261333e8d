#!/usr/bin/env bash
# Compute (docs/performance.md, "Compute"): fib, a sieve and SQLite on Chicory compiled (the node's
# runtime), Chicory's interpreter and V8 (node:wasi), one run, interleaved. Needs a JDK 21+ (JAVA_HOME
# or java on the PATH) and Node ≥ 20 (node on the PATH, or NODE=/path/to/node); JAVA_OPTS are
# passed to the JVM.
#   benchmarks/compute.sh [rounds=10] [warmup=5] [first=3] [budget=60] [fib=32] [sieve=10000000] [sqlite=20000:2000] [only=fib,sieve,sqlite] [interpreter=true]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -Ddev -pl node-agent -am -Pbenchmarks test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
cd node-agent
# shellcheck disable=SC2086
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${JAVA_OPTS:-} -Dnode="${NODE:-node}" \
    -cp "target/test-classes:target/classes:$(cat target/bench.cp)" dev.nanolet.agent.bench.ComputeBenchmark "$@"
