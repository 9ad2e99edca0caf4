#!/usr/bin/env bash
# Time from POST to APPROVED for single orders, one at a time, against a running app (README's run command).
# Prints two figures over N orders after a warm-up: the server-side time from acceptance to the ApproveOrder reply
# (createdAt -> the ApproveOrder step's time in the order view), and the client-side time of a POST with
# "Prefer: wait=5", which returns once the whole saga, confirmation email included, has ended.
# The first few hundred orders after start-up run while the JIT is still compiling the hot path (the median of the
# first 100 is 2-4 times that of a warm JVM): the warm-up places that many first and measures after it.
# The demo's stock of BOOK-42 (100) and tok_visa's credit limit (10,000.00, 800 orders) are less than a run needs:
# start the app with bigger ones, e.g.
#   PARTICIPANTS_INVENTORY_STOCK=BOOK-42:1000000:12.50 PARTICIPANTS_PAYMENT_CREDIT_LIMITS=tok_visa:100000000.00 \
#     mvn -q compile exec:java
# Usage: bench/single-order-latency.sh [base-url] [orders] [warm-up orders]
set -euo pipefail
base=${1:-http://localhost:8080}
orders=${2:-30}
warmup=${3:-500}
body='{"customerId":"bench","customerEmail":"ada@example.com","currency":"EUR","items":[{"sku":"BOOK-42","quantity":1,"unitPrice":"12.50"}],"payment":{"cardToken":"tok_visa"}}'
post() { curl -s -X POST "$base/api/orders" -H 'Content-Type: application/json' -H 'Prefer: wait=5' -d "$body" "$@"; }
for _ in $(seq 1 "$warmup"); do post -o /dev/null; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$orders"); do post -o "$work/$i.json" -w '%{time_total}\n' >> "$work/client.txt"; done
python3 - "$work" "$orders" <<'PY'
import datetime, json, sys
work, n = sys.argv[1], int(sys.argv[2])
def at(s): return datetime.datetime.fromisoformat(s.replace('Z', '')[:26])
server, statuses = [], []
for i in range(1, n + 1):
    o = json.load(open(f"{work}/{i}.json"))
    statuses.append(o["status"])
    if o["status"] != "APPROVED":
        sys.exit(f"order {o['orderId']} ended {o['status']} ({o.get('reasonCode')}), not APPROVED: are the stock and the credit limit big enough?"
                 " (see the comment at the top of this script)")
    approve = next(s for s in o["steps"] if s["name"] == "ApproveOrder")
    server.append((at(approve["at"]) - at(o["createdAt"])).total_seconds() * 1000)
client = sorted(float(l) * 1000 for l in open(f"{work}/client.txt"))
def summary(name, xs):
    xs = sorted(xs)
    print(f"{name}: min {xs[0]:.1f} ms, median {xs[len(xs)//2]:.1f} ms, p90 {xs[int(len(xs)*0.9)-1]:.1f} ms, max {xs[-1]:.1f} ms")
print(f"{n} orders, {statuses.count('APPROVED')} APPROVED")
summary("POST accepted -> APPROVED (server)", server)
summary("POST -> 201 with the ended saga (client)", client)
PY
