#!/usr/bin/env bash
# Runs one benchmark scenario side by side: ImActors and a peer (the SignalR server, or mosquitto for ImActors over
# MQTT: --targets imactors-mqtt,mosquitto), same generator, same load.
#   bash scripts/bench.sh <direct|ramp|group|connections|reconnect-storm|restart|flood|presence> [--targets a,b,...] [--repeat 3]
#                         [--no-calibrate] [--no-build] [scenario options...]
# Builds Release; the server side (every ImActors process, or the peer) runs on core 0 and the load
# generator on core 1 (taskset). First it calibrates the generator against a trivial relay on core 0 and
# reports the generator's own ceiling; then it runs every target --repeat times and prints the median and
# range of every figure, and the ratios ImActors / peer. Raw runs are kept in bench/results/<time>-<scenario>/.
# `restart` (kill the single-process node, time its restart) runs against imactors-node and skips the
# calibration: it measures no load figure the generator could limit. `presence` runs against imactors-node
# alone (the peer has no presence) and skips it too: its load is logins, not 1:1 messages through the relay.
# Everything it starts is stopped when it ends (or on Ctrl-C).
# Environment: BENCH_SERVER_CPUS (default 0), BENCH_GENERATOR_CPUS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

usage() { echo "usage: bash scripts/bench.sh <direct|ramp|group|connections|reconnect-storm|restart|flood|presence> [--targets imactors,imactors-redis,imactors-redis-cluster,imactors-node,imactors-node-nowait,imactors-events,imactors-node-events,imactors-mqtt,signalr-user,signalr-group,mosquitto] [--repeat N] [--no-calibrate] [--no-build] [scenario options...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
scenario=$1; shift
case "$scenario" in
  direct|ramp|group|connections|reconnect-storm|restart|flood|presence) ;;
  *) echo "error: unknown scenario '$scenario': use direct, ramp, group, connections, reconnect-storm, restart, flood or presence" >&2; exit 2 ;;
esac

targets=""
repeat=3
calibrate=1
build=1
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) targets=${2:?--targets needs a value}; shift 2 ;;
    --repeat) repeat=${2:?--repeat needs a value}; shift 2 ;;
    --no-calibrate) calibrate=0; shift ;;
    --no-build) build=0; shift ;;
    *) pass+=("$1"); shift ;;
  esac
done
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "error: --repeat must be a positive integer" >&2; exit 2; }
[ "$scenario" = restart ] && calibrate=0
[ "$scenario" = flood ] && calibrate=0
[ "$scenario" = presence ] && calibrate=0
if [ -z "$targets" ]; then
  case "$scenario" in
    reconnect-storm) targets=imactors ;;      # the peer keeps nothing for offline clients
    restart) targets=imactors-node ;;         # only the single-process node is killed and restarted
    flood) targets=imactors-node ;;           # limits are what is measured; the peer has none
    presence) targets=imactors-node ;;        # the peer has no presence
    group) targets=imactors,imactors-node,signalr-group ;;  # one group send is the same for both SignalR variants
    *) targets=imactors,imactors-node,signalr-user,signalr-group ;;
  esac
fi

SERVER_CPUS=${BENCH_SERVER_CPUS:-0}
GENERATOR_CPUS=${BENCH_GENERATOR_CPUS:-1}
out="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$scenario"
mkdir -p "$out"

if [ "$build" = 1 ]; then
  echo "building (Release)..."
  dotnet build "$ROOT/ImActors.sln" -c Release -v quiet -nologo >/dev/null
fi
TOOL="$ROOT/bench/ImActors.Bench/bin/Release/net10.0/ImActors.Bench.dll"
[ -f "$TOOL" ] || { echo "error: $TOOL is not built: run without --no-build" >&2; exit 2; }

current=""
stop() {
  # The tool stops the servers it started when it gets SIGTERM.
  if [ -n "$current" ]; then kill -TERM "$current" 2>/dev/null || true; wait "$current" 2>/dev/null || true; fi
}
trap 'stop; exit 130' INT TERM

bench() { # output-file args...
  local file=$1; shift
  taskset -c "$GENERATOR_CPUS" dotnet "$TOOL" "$@" --server-cpus "$SERVER_CPUS" >"$file" 2>"$file.err" &
  current=$!
  if ! wait "$current"; then
    current=""
    echo "error: run failed: $(tail -n 1 "$file.err")" >&2
    return 1
  fi
  current=""
}

if [ "$calibrate" = 1 ]; then
  echo "calibrating the generator against the relay (server cpus $SERVER_CPUS, generator cpus $GENERATOR_CPUS)..."
  pairs=200
  for ((i = 0; i < ${#pass[@]}; i++)); do [ "${pass[$i]}" = "--pairs" ] && pairs=${pass[$((i + 1))]}; done
  bench "$out/calibration.json" ramp --target relay --pairs "$pairs" --start-rate 500 --factor 1.5 --step-duration 3 --warmup 1 --p99-ms 10
  grep -E "^  (highest_rate_held|held_generator_cores|held_server_cpu_us_per_msg|failed_because) " "$out/calibration.json" \
    | sed 's/^ */  generator ceiling (1:1 through the relay): /'
fi

files=()
IFS=',' read -ra list <<<"$targets"
# Runs interleaved (each target once, then again), so drift of a shared machine spreads over every target.
for ((run = 1; run <= repeat; run++)); do
  for target in "${list[@]}"; do
    echo "$scenario against $target, run $run of $repeat..."
    file="$out/$target-$run.json"
    bench "$file" "$scenario" --target "$target" "${pass[@]}"
    files+=("$file")
  done
done

dotnet "$TOOL" summarize "${files[@]}" | tee "$out/summary.json"
echo "raw runs: $out"
