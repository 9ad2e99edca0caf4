#!/usr/bin/env bash
# The saga benchmark: sagas/s and latency of the orchestrator, and of the raw Kafka floor on the same broker, in one
# run, open loop at a ladder of constant rates. Writes bench/results/<name>.md, .json and .svg. See bench/README.md.
# Usage: bench/run.sh [--smoke] [--rates 100,250,...] [--floor-rates ...] [--warmup S] [--seconds S] [--drain S]
#                     [--slo-ms 100] [--targets orchestrator,floor,floor-journal,replicas] [--replicas 1,2]
#                     [--completion hook|wait] [--set camel.key=value]... [--name NAME] [--out DIR]
# Env: KAFKA_BOOTSTRAP_SERVERS (use that cluster instead of the embedded broker), BENCH_JAVA_OPTS (JVM options,
# default -Xms4g -Xmx4g -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=2), BENCH_REPLICA_JAVA_OPTS (of each
# process of the replicas target, default -Xms1g -Xmx1g -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=2),
# BENCH_JFR=1 (record target/bench/bench.jfr for a profile).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
# a private copy of the compiled classes, so that a build in this tree during the run cannot pull them away
work=$(mktemp -d "${TMPDIR:-/tmp}/ordersaga-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r target/classes "$work/classes"
cp -r target/test-classes "$work/test-classes"
cp="$work/test-classes:$work/classes:$(cat target/bench-classpath.txt)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit+dirty"; fi
# G1 aims at 200 ms pauses by default and, on a 4 GB heap, took 100-200 ms young collections that every saga in flight
# (and the generator, in this JVM) waited out; at 20 ms they are shorter and more frequent. What outlives two young
# collections (1 s) is kept data (ended orders, participants' answers): promoted at once, it is copied once, not up
# to 15 times (GC time per second -35 %, bench/README.md)
opts=${BENCH_JAVA_OPTS:--Xms4g -Xmx4g -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=2}
# With a parallelism of 1 (what 2 cores give) the common ForkJoinPool starts a new thread per task, and java.net.http
# (the harness's probes; the load goes over KeepAliveHttpClient) hands it every response. Two workers keep it cheap.
opts="$opts -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"
jfr=()
if [ "${BENCH_JFR:-0}" = 1 ]; then
  mkdir -p target/bench
  jfr=(-XX:StartFlightRecording=filename=target/bench/bench.jfr,settings=profile,dumponexit=true)
fi
# shellcheck disable=SC2086
java $opts "${jfr[@]}" -Dbench.commit="$commit" -cp "$cp" dev.ordersaga.bench.Benchmark "$@"
