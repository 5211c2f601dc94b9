#!/usr/bin/env bash
# One single-node process (Node/: a silo, its embedded store and an edge) on free loopback ports, for
# failure drills: SIGKILL it under load, start it again on the same ports and the same data, and let the
# verifier judge what survived. State (pid, ports, data directory, log) lives in a run directory, so every
# command below can be run from another shell while the node runs.
#
#   bash scripts/node.sh start [--data DIR] [--no-build]   builds Node/ once, starts, waits for the edge
#                                    (data: DIR if given and kept as it is, else a fresh one in the run directory)
#   bash scripts/node.sh status       pid, ports, data directory, state
#   bash scripts/node.sh edges        the edge's tcp and ws addresses, one line
#   bash scripts/node.sh kill         SIGKILL
#   bash scripts/node.sh restart      start a killed or stopped node again on its ports and data; prints how
#                                     long it took to accept clients again
#   bash scripts/node.sh stop         SIGTERM, wait for it to exit; keeps the run directory
#
# Environment: IMACTORS_NODE_DIR (default ./data/node), IMACTORS_CONFIGURATION (default Release: the build
# that is started; the tests run their own Debug build), IMACTORS_NODE_READY_SECONDS (default 90: how long
# start and restart wait for the edge).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN=${IMACTORS_NODE_DIR:-$ROOT/data/node}
CONFIGURATION=${IMACTORS_CONFIGURATION:-Release}
NODE_DLL=$ROOT/Node/bin/$CONFIGURATION/net10.0/ImActors.Node.dll
# Ready means the edge's TCP port accepts connections: Kestrel opens it only after the embedded store has
# replayed its append-only file and the silo has started, so a client that connects then is served.
READY_SECONDS=${IMACTORS_NODE_READY_SECONDS:-90}

# shellcheck source=lib/local-settings.sh
source "$ROOT/scripts/lib/local-settings.sh"
# shellcheck source=lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"

[[ "$READY_SECONDS" =~ ^[1-9][0-9]{0,3}$ ]] || die "IMACTORS_NODE_READY_SECONDS must be a whole number of seconds, not '$READY_SECONDS'"

# A port nobody listens on, below the ephemeral range (32768 and up here) so an outgoing connection
# cannot be holding it.
free_port() { # ports-to-avoid...
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 12000 ))
    if ! listening "$port" && [[ " $* " != *" $port "* ]]; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

need_node() {
  [ -f "$RUN/node.ports" ] || die "no node in $RUN (start one with: bash scripts/node.sh start)"
  read -r STORE_PORT SILO_PORT GATEWAY_PORT TCP_PORT HTTP_PORT <"$RUN/node.ports"
  DATA=$(cat "$RUN/node.data")
  PID=$(cat "$RUN/node.pid" 2>/dev/null || true)
}

now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }

# Starts the node on its ports and data and waits until the edge accepts clients. After a SIGKILL the old
# process's connections linger on its ports (TIME_WAIT, up to a minute); the node's listeners bind despite
# them, but a start that still finds a port taken (a socket not yet released, another program for a moment)
# is retried rather than reported.
launch() {
  local log=$RUN/node.log port attempt offset pid
  for port in "$STORE_PORT" "$SILO_PORT" "$GATEWAY_PORT" "$TCP_PORT" "$HTTP_PORT"; do
    for _ in $(seq 1 50); do listening "$port" || break; sleep 0.1; done
    listening "$port" && die "port $port on 127.0.0.1 is in use by another process"
  done
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
    echo "=== node.sh: start at $(date -u '+%F %T') UTC (attempt $attempt)" >>"$log"
    # Started from a subshell that exits at once, so this shell does not report a start that crashes ("Aborted").
    ( (cd "$DATA" && exec nohup dotnet "$NODE_DLL" --contentRoot "$(dirname "$NODE_DLL")" \
      --Store:DataDir "$DATA/store" --Store:EmbeddedPort "$STORE_PORT" \
      --Cluster:SiloPort "$SILO_PORT" --Cluster:GatewayPort "$GATEWAY_PORT" \
      --Edge:TcpPort "$TCP_PORT" --Edge:HttpPort "$HTTP_PORT" $(local_edge_args) </dev/null >>"$log" 2>&1) &
      echo $! >"$RUN/node.pid" )
    pid=$(cat "$RUN/node.pid")
    for _ in $(seq 1 $(( READY_SECONDS * 10 ))); do
      listening "$TCP_PORT" && return 0
      gone "$pid" && break
      sleep 0.1
    done
    gone "$pid" || die "the node did not accept clients on 127.0.0.1:$TCP_PORT within $READY_SECONDS s; see $log"
    tail -c +"$(( offset + 1 ))" "$log" | grep -qi 'address already in use' || die "the node exited during startup; see $log"
    sleep 1
  done
  die "the node could not bind its ports after 10 attempts; see $log"
}

describe() { echo "node     pid $(cat "$RUN/node.pid")  tcp://127.0.0.1:$TCP_PORT  ws://127.0.0.1:$HTTP_PORT/ws"; }

start() {
  local build=1 data=""
  while [ $# -gt 0 ]; do
    case $1 in
      --data) [ -n "${2:-}" ] || die "--data needs a directory"; data=$2; shift 2 ;;
      --no-build) build=0; shift ;;
      *) die "unknown option for start: $1" ;;
    esac
  done
  if [ -f "$RUN/node.pid" ] && alive "$(cat "$RUN/node.pid")" "$NODE_DLL"; then
    die "a node is already running in $RUN (bash scripts/node.sh stop first)"
  fi
  if [ "$build" = 1 ]; then
    echo "building Node ($CONFIGURATION)..."
    dotnet build "$ROOT/Node/ImActors.Node.csproj" -c "$CONFIGURATION" -v quiet -nologo >/dev/null || die "the build failed"
  fi
  [ -f "$NODE_DLL" ] || die "the $CONFIGURATION build of Node is missing; run without --no-build"
  mkdir -p "$RUN"
  rm -f "$RUN"/node.*
  if [ -n "$data" ]; then
    mkdir -p "$data" || die "cannot create the data directory $data"
    DATA=$(cd "$data" && pwd)
  else
    DATA=$RUN/data; rm -rf "$DATA"; mkdir -p "$DATA"
  fi
  echo "$DATA" >"$RUN/node.data"
  STORE_PORT=$(free_port); SILO_PORT=$(free_port "$STORE_PORT"); GATEWAY_PORT=$(free_port "$STORE_PORT" "$SILO_PORT")
  TCP_PORT=$(free_port "$STORE_PORT" "$SILO_PORT" "$GATEWAY_PORT"); HTTP_PORT=$(free_port "$STORE_PORT" "$SILO_PORT" "$GATEWAY_PORT" "$TCP_PORT")
  echo "$STORE_PORT $SILO_PORT $GATEWAY_PORT $TCP_PORT $HTTP_PORT" >"$RUN/node.ports"
  launch
  describe
  echo "data in $DATA; state and log in $RUN"
  echo "edges: $(edges)"
}

restart() {
  alive "$PID" "$NODE_DLL" && die "the node is running (pid $PID); kill or stop it first"
  local began; began=$(now_ms)
  launch
  local ms=$(( $(now_ms) - began ))
  describe
  printf 'node restarted: ready in %d.%03d s\n' $(( ms / 1000 )) $(( ms % 1000 ))
}

signal_node() { # KILL|TERM
  alive "$PID" "$NODE_DLL" || die "the node is not running"
  kill -"$1" "$PID"
  if [ "$1" = TERM ]; then
    wait_exit "$PID" 60 || die "the node (pid $PID) did not stop within 60 s"
    echo "node stopped (SIGTERM, pid $PID; data stays in $DATA)"
  else
    wait_exit "$PID" 10 || die "the node (pid $PID) did not exit within 10 s of SIGKILL"
    echo "node killed (SIGKILL, pid $PID)"
  fi
}

status() {
  local state=stopped
  alive "$PID" "$NODE_DLL" && state=running
  printf '%-8s pid %-8s %-48s %s\n' node "$PID" "tcp://127.0.0.1:$TCP_PORT  ws://127.0.0.1:$HTTP_PORT/ws" "$state"
  echo "         store :$STORE_PORT  silo :$SILO_PORT  gateway :$GATEWAY_PORT  data $DATA"
}

edges() { echo "tcp://127.0.0.1:$TCP_PORT ws://127.0.0.1:$HTTP_PORT/ws"; }

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  start) start "$@" ;;
  status) [ $# -eq 0 ] || die "status takes no arguments"; need_node; status ;;
  edges) [ $# -eq 0 ] || die "edges takes no arguments"; need_node; edges ;;
  kill) [ $# -eq 0 ] || die "kill takes no arguments"; need_node; signal_node KILL ;;
  restart) [ $# -eq 0 ] || die "restart takes no arguments"; need_node; restart ;;
  stop) [ $# -eq 0 ] || die "stop takes no arguments"; need_node
    if alive "$PID" "$NODE_DLL"; then signal_node TERM; else echo "node is not running (data stays in $DATA)"; fi ;;
  ""|-h|--help|help) sed -n '2,/^[^#]/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$command' (see: bash scripts/node.sh help)" ;;
esac
