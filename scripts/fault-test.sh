#!/usr/bin/env bash
# The fault audit, long form: broker and participants in one process, the orchestrator in another; 500 orders at
# high concurrency, the orchestrator killed with SIGKILL 3 times and stopped with SIGTERM once, at random moments, and
# restarted each time; then the same audit with the broker (and participants) process killed and restarted once
# mid-run. Prints the counts of each run and exits non-zero on any violation. (The test suite runs a short form of
# both: dev.ordersaga.fault.FaultTest.)
# Usage: scripts/fault-test.sh [orders] [concurrency] [kills]
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-500}
concurrency=${2:-64}
kills=${3:-3}
# shellcheck source=scripts/test-classpath.sh
. scripts/test-classpath.sh
status=0
echo "== kill -9 and SIGTERM of the orchestrator: $orders orders, concurrency $concurrency, $kills kills, 1 SIGTERM"
java -cp "$cp" dev.ordersaga.fault.FaultRun "$orders" "$concurrency" "$kills" 1 false || status=1
echo "== restart of the broker: $orders orders, concurrency $concurrency"
java -cp "$cp" dev.ordersaga.fault.FaultRun "$orders" "$concurrency" 0 0 true || status=1
exit $status
