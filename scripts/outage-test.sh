#!/usr/bin/env bash
# The outage test, long form: broker and participants in one process, the orchestrator in another, on its shipped
# settings (saga.timeout 30s); orders at high concurrency while the broker and participants are killed mid-load and
# away for a while shorter than the saga timeout (from the kill until ready again). Every order must end with exact effects,
# and no order may be rejected because of the outage (no approvable order rejected, no rejection without a business
# reason). Prints the counts and exits non-zero on any violation. (The test suite runs a short form:
# dev.ordersaga.fault.OutageTest.)
# Usage: scripts/outage-test.sh [orders] [concurrency] [seconds-away]
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-500}
concurrency=${2:-32}
away=${3:-20}
# shellcheck source=scripts/test-classpath.sh
. scripts/test-classpath.sh
echo "== broker and participants away for ${away}s mid-load: $orders orders, concurrency $concurrency"
exec java -cp "$cp" dev.ordersaga.fault.FaultRun "$orders" "$concurrency" 0 0 true "$away"
