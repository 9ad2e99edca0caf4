#!/usr/bin/env bash
# What tracing costs: the benchmark's orchestrator ladder twice in a row, with the OpenTelemetry SDK off
# (otel.sdk.disabled=true: no span, no traceparent) and then on with the defaults of config/ (every order traced,
# spans recorded, exporter none), then the two side by side per rate: JVM CPU per saga and latency.
# Any other benchmark option goes to both runs (bench/README.md), e.g. --set otel.traces.exporter=otlp to include the
# export (with a collector listening on otel.exporter.otlp.endpoint).
# Usage: bench/tracing-overhead.sh [--rates 50,150,300] [--seconds 10] [benchmark options...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${TRACING_OUT:-bench/results/tracing}
mkdir -p "$out"
args=(--targets orchestrator --rates 50,150,300 --seconds 10 --jit-warmup 15 --out "$out" "$@")
bench/run.sh "${args[@]}" --set otel.sdk.disabled=true --name tracing-off
bench/run.sh "${args[@]}" --name tracing-on
python3 - "$out/tracing-off.json" "$out/tracing-on.json" <<'PY'
import json, sys
def steps(path):
    run = json.load(open(path))
    ladder = next(l for l in run["ladders"] if l["target"] == "orchestrator")
    return run, {s["offeredPerSecond"]: s for s in ladder["steps"]}
off_run, off = steps(sys.argv[1])
on_run, on = steps(sys.argv[2])
print(f"tracing off: {off_run['startedAt']} (load {off_run['machine']['loadAverageAtStart']}); "
      f"on: {on_run['startedAt']} (load {on_run['machine']['loadAverageAtStart']})")
print("| offered/s | CPU ms/saga off | on | change | p50 ms off | on | p99 ms off | on | load avg off | on |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for rate in sorted(set(off) & set(on)):
    a, b = off[rate], on[rate]
    # the JVM's CPU less the load generator's, per saga completed
    ca = (a["cpu"]["jvmCores"] - a["cpu"]["generatorCores"]) * 1000 / a["completedPerSecond"]
    cb = (b["cpu"]["jvmCores"] - b["cpu"]["generatorCores"]) * 1000 / b["completedPerSecond"]
    print(f"| {rate} | {ca:.2f} | {cb:.2f} | {100 * (cb - ca) / ca:+.0f}% | {a['p50Ms']:.1f} | {b['p50Ms']:.1f} | "
          f"{a['p99Ms']:.1f} | {b['p99Ms']:.1f} | {a['cpu']['loadAverage']:.1f} | {b['cpu']['loadAverage']:.1f} |")
PY
