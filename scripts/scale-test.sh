#!/usr/bin/env bash
# The scale audit, long form: broker and participants in one process, three orchestrator replicas in three others,
# 12 partitions; 600 orders at 20/s spread round-robin over the replicas' APIs; mid-load orchestrator-1 is killed with
# SIGKILL and later started again, then orchestrator-2 is stopped with SIGTERM (scale-down, it stays stopped). Prints
# the takeover times and the counts of the audit and exits non-zero on any violation or a takeover over its bound.
# (The test suite runs a short form: dev.ordersaga.fault.ScaleTest.) Logs of each process: target/scale/.
# Usage: scripts/scale-test.sh [orders] [concurrency] [orders per second] [kill -9 bound, s] [SIGTERM bound, s]
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-600}
concurrency=${2:-64}
rate=${3:-20}
kill_bound=${4:-30}
sigterm_bound=${5:-10}
# shellcheck source=scripts/test-classpath.sh
. scripts/test-classpath.sh
echo "== 3 orchestrator replicas: $orders orders at $rate/s, concurrency $concurrency; kill -9 + restart, SIGTERM"
java -cp "$cp" dev.ordersaga.fault.ScaleRun "$orders" "$concurrency" "$rate" "$kill_bound" "$sigterm_bound"
