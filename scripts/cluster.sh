#!/usr/bin/env bash
# A local ImActors cluster on loopback: one redis-server, M silos and N edges, each its own process on
# free ports. State (pids, ports, logs, Redis data) lives in a run directory, so every command below can
# be run from another shell while the cluster runs.
#
#   bash scripts/cluster.sh start [--silos M] [--edges N] [--no-build]   (defaults: 2 silos, 2 edges)
#   bash scripts/cluster.sh status            every member with pid, ports, state
#   bash scripts/cluster.sh edges             the running edges' client addresses, one line
#   bash scripts/cluster.sh add-silo | add-edge
#   bash scripts/cluster.sh remove-silo [N] | remove-edge [N]    SIGTERM: graceful; default the newest running
#   bash scripts/cluster.sh kill-silo [N]   | kill-edge [N]      SIGKILL; default the oldest running
#   bash scripts/cluster.sh start-silo N    | start-edge N       start a stopped member again on its ports
#   bash scripts/cluster.sh kill-redis | stop-redis | start-redis
#   bash scripts/cluster.sh stop              stop everything (edges, silos, Redis) and keep the run directory
#
# Environment: IMACTORS_CLUSTER_DIR (default ./data/cluster), IMACTORS_CLUSTER_ID (default local),
# IMACTORS_CONFIGURATION (default Release: the build that is started; the tests run their own Debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN=${IMACTORS_CLUSTER_DIR:-$ROOT/data/cluster}
CONFIGURATION=${IMACTORS_CONFIGURATION:-Release}
SILO_DLL=$ROOT/Silo/bin/$CONFIGURATION/net10.0/ImActors.Silo.dll
EDGE_DLL=$ROOT/Edge/bin/$CONFIGURATION/net10.0/ImActors.Edge.dll

# shellcheck source=lib/local-settings.sh
source "$ROOT/scripts/lib/local-settings.sh"
# shellcheck source=lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"

# A port nobody listens on and no member of this cluster was given. Kept below the ephemeral range
# (32768 and up here) so an outgoing connection cannot be holding it.
free_port() { # ports-to-avoid...
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 12000 ))
    if ! listening "$port" && ! grep -qsw "$port" "$RUN"/*.port* 2>/dev/null && [[ " $* " != *" $port "* ]]; then
      echo "$port"; return 0
    fi
  done
  die "no free port found"
}

wait_port() { # port seconds what pid logfile
  for _ in $(seq 1 $(( $2 * 10 ))); do
    if listening "$1"; then return 0; fi
    if gone "$4"; then die "$3 exited during startup; see $5"; fi
    sleep 0.1
  done
  die "$3 did not listen on 127.0.0.1:$1 within $2 s; see $5"
}

need_cluster() {
  [ -f "$RUN/cluster.id" ] || die "no cluster in $RUN (start one with: bash scripts/cluster.sh start)"
  CLUSTER_ID=$(cat "$RUN/cluster.id")
  REDIS_PORT=$(cat "$RUN/redis.port")
}

member_number() { # kind requested-number
  [[ "$2" =~ ^[0-9]+$ ]] || die "$1 number must be a positive integer, not '$2'"
  [ -f "$RUN/$1-$2.ports" ] || die "there is no $1-$2 (see: bash scripts/cluster.sh status)"
  echo "$2"
}

members() { # kind -> numbers, oldest first
  for f in "$RUN/$1"-*.ports; do
    [ -e "$f" ] || continue
    f=${f##*/$1-}; echo "${f%.ports}"
  done | sort -n
}

running_members() { # kind dll
  local n
  for n in $(members "$1"); do
    if alive "$(cat "$RUN/$1-$n.pid" 2>/dev/null)" "$2"; then echo "$n"; fi
  done
}

start_redis() {
  local log=$RUN/redis.log
  command -v redis-server >/dev/null || die "redis-server is not installed (apt-get install -y redis-server)"
  listening "$REDIS_PORT" && die "port $REDIS_PORT is already in use; is Redis already running?"
  mkdir -p "$RUN/redis"
  # appendonly + appendfsync always: an ACKed message is in the AOF file before Redis replies. With
  # everysec, Redis postpones even the write to the file while a slow fsync runs (up to 2 s) and replies
  # meanwhile, so a killed redis-server can lose ACKed messages (seen in the tests on a loaded machine).
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always --dir "$RUN/redis" \
    --maxmemory-policy noeviction --daemonize no </dev/null >"$log" 2>&1 &
  echo $! >"$RUN/redis.pid"
  wait_port "$REDIS_PORT" 20 "redis-server" "$!" "$log"
  echo "redis    pid $(cat "$RUN/redis.pid")  127.0.0.1:$REDIS_PORT"
}

start_silo() { # number
  local n=$1 silo gateway log=$RUN/silo-$1.log
  read -r silo gateway <"$RUN/silo-$n.ports"
  (cd "$RUN" && Store__Redis="127.0.0.1:$REDIS_PORT" Cluster__ClusterId="$CLUSTER_ID" \
    exec nohup dotnet "$SILO_DLL" --contentRoot "$(dirname "$SILO_DLL")" \
      --Cluster:SiloPort "$silo" --Cluster:GatewayPort "$gateway" </dev/null >>"$log" 2>&1) &
  echo $! >"$RUN/silo-$n.pid"
  wait_port "$gateway" 60 "silo-$n" "$!" "$log"
  echo "silo-$n   pid $(cat "$RUN/silo-$n.pid")  silo 127.0.0.1:$silo  gateway 127.0.0.1:$gateway"
}

start_edge() { # number
  local n=$1 tcp http log=$RUN/edge-$1.log
  read -r tcp http <"$RUN/edge-$n.ports"
  (cd "$RUN" && Store__Redis="127.0.0.1:$REDIS_PORT" Cluster__ClusterId="$CLUSTER_ID" \
    exec nohup dotnet "$EDGE_DLL" --contentRoot "$(dirname "$EDGE_DLL")" \
      --Edge:EdgeId "edge-$n" --Edge:TcpPort "$tcp" --Edge:HttpPort "$http" $(local_edge_args) </dev/null >>"$log" 2>&1) &
  echo $! >"$RUN/edge-$n.pid"
  wait_port "$tcp" 60 "edge-$n" "$!" "$log"
  echo "edge-$n   pid $(cat "$RUN/edge-$n.pid")  tcp://127.0.0.1:$tcp  ws://127.0.0.1:$http/ws"
}

new_member() { # kind -> number
  local last
  last=$(members "$1" | tail -n 1)
  echo $(( ${last:-0} + 1 ))
}

add_silo() {
  local n; n=$(new_member silo)
  # Fresh ports: a silo restarted on the address of one that just died is refused for a second
  # (generations have 1 s resolution), and nothing outside the cluster needs a silo's address.
  local a; a=$(free_port); echo "$a $(free_port "$a")" >"$RUN/silo-$n.ports"
  start_silo "$n"
}

add_edge() {
  local n; n=$(new_member edge)
  local a; a=$(free_port); echo "$a $(free_port "$a")" >"$RUN/edge-$n.ports"
  start_edge "$n"
}

signal_member() { # kind dll signal number-or-empty default(oldest|newest)
  local kind=$1 dll=$2 signal=$3 n=$4 pid
  if [ -z "$n" ]; then
    if [ "$5" = newest ]; then n=$(running_members "$kind" "$dll" | tail -n 1); else n=$(running_members "$kind" "$dll" | sed -n 1p); fi
    [ -n "$n" ] || die "no $kind is running"
  else
    n=$(member_number "$kind" "$n")
  fi
  pid=$(cat "$RUN/$kind-$n.pid" 2>/dev/null || true)
  alive "$pid" "$dll" || die "$kind-$n is not running"
  kill -"$signal" "$pid"
  if [ "$signal" = TERM ]; then
    wait_exit "$pid" 60 || die "$kind-$n (pid $pid) did not stop within 60 s"
    echo "$kind-$n stopped (SIGTERM, pid $pid)"
  else
    wait_exit "$pid" 10 || true
    echo "$kind-$n killed (SIGKILL, pid $pid)"
  fi
}

restart_member() { # kind dll number
  local n; n=$(member_number "$1" "$2")
  alive "$(cat "$RUN/$1-$n.pid" 2>/dev/null || true)" "$3" && die "$1-$n is already running"
  "start_$1" "$n"
}

status() {
  local n pid state ports
  pid=$(cat "$RUN/redis.pid" 2>/dev/null || true)
  if alive "$pid" redis-server; then state=running; else state=stopped; fi
  printf '%-8s pid %-8s %-44s %s\n' redis "$pid" "127.0.0.1:$REDIS_PORT" "$state"
  for n in $(members silo); do
    pid=$(cat "$RUN/silo-$n.pid" 2>/dev/null || true); read -r -a ports <"$RUN/silo-$n.ports"
    if alive "$pid" "$SILO_DLL"; then state=running; else state=stopped; fi
    printf '%-8s pid %-8s %-44s %s\n' "silo-$n" "$pid" "silo :${ports[0]}  gateway :${ports[1]}" "$state"
  done
  for n in $(members edge); do
    pid=$(cat "$RUN/edge-$n.pid" 2>/dev/null || true); read -r -a ports <"$RUN/edge-$n.ports"
    if alive "$pid" "$EDGE_DLL"; then state=running; else state=stopped; fi
    printf '%-8s pid %-8s %-44s %s\n' "edge-$n" "$pid" "tcp://127.0.0.1:${ports[0]}  ws://127.0.0.1:${ports[1]}/ws" "$state"
  done
}

stop_all() {
  local n pid
  for kind in edge silo; do
    local dll=$EDGE_DLL; [ "$kind" = silo ] && dll=$SILO_DLL
    for n in $(running_members "$kind" "$dll"); do kill -TERM "$(cat "$RUN/$kind-$n.pid")" 2>/dev/null || true; done
    for n in $(members "$kind"); do
      pid=$(cat "$RUN/$kind-$n.pid" 2>/dev/null || true)
      if alive "$pid" "$dll" && ! wait_exit "$pid" 30; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
  done
  pid=$(cat "$RUN/redis.pid" 2>/dev/null || true)
  if alive "$pid" redis-server; then kill -TERM "$pid"; wait_exit "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true; fi
  echo "cluster stopped (logs and Redis data stay in $RUN)"
}

start() {
  local silos=2 edges=2 build=1
  while [ $# -gt 0 ]; do
    case $1 in
      --silos) [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || die "--silos needs a number from 1 to 99"; silos=$2; shift 2 ;;
      --edges) [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || die "--edges needs a number from 1 to 99"; edges=$2; shift 2 ;;
      --no-build) build=0; shift ;;
      *) die "unknown option for start: $1" ;;
    esac
  done
  if [ -f "$RUN/cluster.id" ]; then
    local pid; pid=$(cat "$RUN/redis.pid" 2>/dev/null || true)
    if alive "$pid" redis-server || [ -n "$(running_members silo "$SILO_DLL")$(running_members edge "$EDGE_DLL")" ]; then
      die "a cluster is already running in $RUN (bash scripts/cluster.sh stop first)"
    fi
  fi
  if [ "$build" = 1 ]; then
    echo "building ($CONFIGURATION)..."
    dotnet build "$ROOT/ImActors.sln" -c "$CONFIGURATION" -v quiet -nologo >/dev/null || die "the build failed"
  fi
  [ -f "$SILO_DLL" ] && [ -f "$EDGE_DLL" ] || die "the $CONFIGURATION build is missing; run without --no-build"
  rm -rf "$RUN"; mkdir -p "$RUN"
  CLUSTER_ID=${IMACTORS_CLUSTER_ID:-local}
  echo "$CLUSTER_ID" >"$RUN/cluster.id"
  REDIS_PORT=$(free_port); echo "$REDIS_PORT" >"$RUN/redis.port"
  start_redis
  for _ in $(seq 1 "$silos"); do add_silo; done
  for _ in $(seq 1 "$edges"); do add_edge; done
  echo "cluster '$CLUSTER_ID' is running; state and logs in $RUN"
  echo "edges: $(edges)"
}

edges() {
  local n tcp http out=()
  for n in $(members edge); do read -r tcp http <"$RUN/edge-$n.ports"; out+=("tcp://127.0.0.1:$tcp"); done
  echo "${out[*]}"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  start) start "$@" ;;
  status) [ $# -eq 0 ] || die "status takes no arguments"; need_cluster; status ;;
  edges) [ $# -eq 0 ] || die "edges takes no arguments"; need_cluster; edges ;;
  add-silo) [ $# -eq 0 ] || die "add-silo takes no arguments"; need_cluster; add_silo ;;
  add-edge) [ $# -eq 0 ] || die "add-edge takes no arguments"; need_cluster; add_edge ;;
  remove-silo) [ $# -le 1 ] || die "remove-silo takes at most one number"; need_cluster; signal_member silo "$SILO_DLL" TERM "${1:-}" newest ;;
  remove-edge) [ $# -le 1 ] || die "remove-edge takes at most one number"; need_cluster; signal_member edge "$EDGE_DLL" TERM "${1:-}" newest ;;
  kill-silo) [ $# -le 1 ] || die "kill-silo takes at most one number"; need_cluster; signal_member silo "$SILO_DLL" KILL "${1:-}" oldest ;;
  kill-edge) [ $# -le 1 ] || die "kill-edge takes at most one number"; need_cluster; signal_member edge "$EDGE_DLL" KILL "${1:-}" oldest ;;
  start-silo) [ $# -eq 1 ] || die "start-silo needs a silo number"; need_cluster; restart_member silo "$1" "$SILO_DLL" ;;
  start-edge) [ $# -eq 1 ] || die "start-edge needs an edge number"; need_cluster; restart_member edge "$1" "$EDGE_DLL" ;;
  kill-redis|stop-redis)
    [ $# -eq 0 ] || die "$command takes no arguments"; need_cluster
    pid=$(cat "$RUN/redis.pid" 2>/dev/null || true)
    alive "$pid" redis-server || die "redis is not running"
    if [ "$command" = kill-redis ]; then kill -KILL "$pid"; else kill -TERM "$pid"; fi
    wait_exit "$pid" 10 || die "redis (pid $pid) did not exit"
    echo "redis stopped (${command%-redis}, pid $pid)" ;;
  start-redis) [ $# -eq 0 ] || die "start-redis takes no arguments"; need_cluster
    alive "$(cat "$RUN/redis.pid" 2>/dev/null || true)" redis-server && die "redis is already running"
    start_redis ;;
  stop) [ $# -eq 0 ] || die "stop takes no arguments"; need_cluster; stop_all ;;
  ""|-h|--help|help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$command' (see: bash scripts/cluster.sh help)" ;;
esac
