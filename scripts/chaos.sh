#!/usr/bin/env bash
# Failure drill: starts a local cluster (redis + 3 silos + 2 edges, via cluster.sh), runs the verifier
# against it, and meanwhile, in a loop: SIGKILLs a silo and adds a new one, SIGKILLs an edge and restarts
# it, SIGTERMs a silo and adds a new one, SIGKILLs the other edge and restarts it, and stops Redis for
# 10 s. At the end it prints the verifier's JSON summary and exits with its status (0: nothing lost,
# duplicated or out of order). The event stream is on and its webhook posts every event to the verifier, which
# audits them too: every ACKed message has exactly one message.stored event, and no event is without its message.
#
#   bash scripts/chaos.sh                 short run: about 3 minutes of load
#   bash scripts/chaos.sh --minutes 60    long soak
#   options: --clients N (default 30), --rate SENDS_PER_S per client (default 5), --no-build,
#            --redis-shards S (a Redis Cluster of S masters with a replica each; the loop also SIGKILLs a master),
#            --no-events (the event stream off, as it is by default, and no event audit)
#
# Environment: IMACTORS_CHAOS_DIR (default ./data/chaos) holds the cluster's state and logs, and stays
# after the run for inspection. IMACTORS_CONFIGURATION as for cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
die() { echo "error: $*" >&2; exit 2; }

minutes=3 clients=30 rate=5 build=1 shards=0 events=1
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) [[ "${2:-}" =~ ^[1-9][0-9]{0,4}$ ]] || die "--minutes needs a whole number of minutes"; minutes=$2; shift 2 ;;
    --clients) [[ "${2:-}" =~ ^[1-9][0-9]{0,4}$ ]] || die "--clients needs a number"; clients=$2; shift 2 ;;
    --rate) [[ "${2:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--rate needs a number"; rate=$2; shift 2 ;;
    --redis-shards) [[ "${2:-}" =~ ^[1-9]$ ]] || die "--redis-shards needs a number from 1 to 9"; shards=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-events) events=0; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see: bash scripts/chaos.sh --help)" ;;
  esac
done

export IMACTORS_CLUSTER_DIR=${IMACTORS_CHAOS_DIR:-$ROOT/data/chaos}
export IMACTORS_CLUSTER_ID=chaos
CONFIGURATION=${IMACTORS_CONFIGURATION:-Release}
VERIFIER=$ROOT/tools/ImActors.Verifier/bin/$CONFIGURATION/net10.0/ImActors.Verifier.dll
cluster() { bash "$ROOT/scripts/cluster.sh" "$@"; }

if [ "$build" = 1 ]; then
  echo "building ($CONFIGURATION)..."
  dotnet build "$ROOT/ImActors.sln" -c "$CONFIGURATION" -v quiet -nologo >/dev/null || die "the build failed"
fi
[ -f "$VERIFIER" ] || die "the $CONFIGURATION build is missing; run without --no-build"

verifier_pid=
finish() {
  trap - EXIT INT TERM
  if [ -n "$verifier_pid" ] && kill -0 "$verifier_pid" 2>/dev/null; then kill -INT "$verifier_pid" 2>/dev/null || true; fi
  cluster stop >/dev/null 2>&1 || true
}
trap finish EXIT
trap 'exit 130' INT TERM

# The verifier receives the webhooks on a port of its own (decision 123): from 32000 up, above every port cluster.sh
# picks and below the ephemeral range, so no member can be given it while the verifier is not listening yet.
event_args=()
if [ "$events" = 1 ]; then
  # shellcheck source=lib/processes.sh
  source "$ROOT/scripts/lib/processes.sh"
  events_port=
  for _ in $(seq 1 100); do
    port=$(( 32000 + RANDOM % 700 ))
    if ! listening "$port"; then events_port=$port; break; fi
  done
  [ -n "$events_port" ] || die "no free port for the verifier's event receiver"
  events_url="http://127.0.0.1:$events_port/events"
  # The silos sign each webhook with this secret and the verifier checks the signature (it reads IMACTORS_WEBHOOK_SECRET).
  IMACTORS_WEBHOOK_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  export IMACTORS_WEBHOOK_SECRET Events__Enabled=true Webhooks__Urls__0=$events_url Webhooks__Secret=$IMACTORS_WEBHOOK_SECRET
  event_args=(--audit-events "$events_url")
fi

shard_args=(); [ "$shards" -gt 0 ] && shard_args=(--redis-shards "$shards")
cluster start --no-build --silos 3 --edges 2 "${shard_args[@]}"
read -r -a edges <<<"$(cluster edges)"

summary=$IMACTORS_CLUSTER_DIR/verifier.json
dotnet "$VERIFIER" "${edges[@]}" --clients "$clients" --rate "$rate" --duration $(( minutes * 60 )) --drain 60 "${event_args[@]}" \
  >"$summary" 2>"$IMACTORS_CLUSTER_DIR/verifier.log" &
verifier_pid=$!

# Each step logs what it broke and when; the pauses let the cluster settle and the load run normally in between.
step() { echo "$(date -u +%T) $*"; }
load_ends=$(( SECONDS + minutes * 60 - 10 ))
pause() { # seconds: false once the load is over (the audit must read a whole cluster)
  local end=$(( SECONDS + $1 ))
  while [ $SECONDS -lt $end ]; do
    [ $SECONDS -lt $load_ends ] && kill -0 "$verifier_pid" 2>/dev/null || return 1
    sleep 1
  done
}
# Whatever the last drill left broken comes back before the audit.
restore() {
  local line
  cluster status | while read -r line; do
    case $line in
      edge-*stopped) n=${line%% *}; cluster start-edge "${n#edge-}" ;;
    esac
  done
  # Read whole first: with pipefail, `cluster status | grep -q` fails when grep stops reading at its match.
  local members; members=$(cluster status)
  if grep -q '^redis.*stopped' <<<"$members"; then cluster start-redis; fi
  [ "$(cluster status | grep -c '^silo-.*running$')" -ge 2 ] || cluster add-silo
}
drill() {
  pause 10 || return 1
  step "kill -9 silo";        cluster kill-silo;       pause 5 || return 1; cluster add-silo;        pause 10 || return 1
  step "kill -9 edge 1";      cluster kill-edge 1;     pause 3 || return 1; cluster start-edge 1;    pause 10 || return 1
  step "SIGTERM silo";        cluster remove-silo;     pause 3 || return 1; cluster add-silo;        pause 10 || return 1
  step "kill -9 edge 2";      cluster kill-edge 2;     pause 3 || return 1; cluster start-edge 2;    pause 10 || return 1
  step "Redis down for 10 s"; cluster kill-redis;      pause 10 || return 1; cluster start-redis;     pause 10 || return 1
  if [ "$shards" -gt 0 ]; then
    # Its replica takes over; the old master comes back as that replica's replica.
    step "kill -9 Redis master"; cluster kill-redis-master; pause 5 || return 1; cluster start-redis; pause 10 || return 1
  fi
}
while [ $SECONDS -lt $load_ends ] && drill; do :; done

restore
step "disruptions over; waiting for the verifier's audit"
set +e
wait "$verifier_pid"
status=$?
set -e
verifier_pid=
cat "$summary"
[ "$status" -eq 0 ] && step "chaos run passed" || step "chaos run FAILED (exit $status); logs in $IMACTORS_CLUSTER_DIR"
exit "$status"
