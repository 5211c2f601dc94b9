#!/usr/bin/env bash
# A local ImActors cluster on loopback: one redis-server, M silos and N edges, each its own process on
# free ports. State (pids, ports, logs, Redis data) lives in a run directory, so every command below can
# be run from another shell while the cluster runs.
#
#   bash scripts/cluster.sh start [--silos M] [--edges N] [--redis-shards S] [--no-build]   (defaults: 2 silos, 2 edges)
#                                             --redis-shards S: a Redis Cluster of S masters with a replica each
#                                             instead of one redis-server (silos run with Store:Sharded=true)
#   bash scripts/cluster.sh status            every member with pid, ports, state (a silo's admin port: health, metrics)
#   bash scripts/cluster.sh edges             the running edges' client addresses, one line
#   bash scripts/cluster.sh add-silo | add-edge
#   bash scripts/cluster.sh remove-silo [N] | remove-edge [N]    SIGTERM: graceful; default the newest running
#   bash scripts/cluster.sh kill-silo [N]   | kill-edge [N]      SIGKILL; default the oldest running
#   bash scripts/cluster.sh start-silo N    | start-edge N       start a stopped member again on its ports
#   bash scripts/cluster.sh kill-redis | stop-redis | start-redis    (with shards: every node; start-redis starts the stopped ones)
#   bash scripts/cluster.sh kill-redis-master [N]   SIGKILL a Redis Cluster master (redis-N, default the first); its replica takes over
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
  REDIS_PORT=$(cat "$RUN/redis.port" 2>/dev/null || true)
}

# A Redis Cluster instead of one redis-server: redis.shards holds the number of masters; node N has redis-N.port
# ("<port> <bus port>"), redis-N.pid, redis-N.log and its data in redis-N/.
sharded() { [ -f "$RUN/redis.shards" ]; }

redis_nodes() { # numbers, in order
  for f in "$RUN"/redis-*.port; do
    [ -e "$f" ] || continue
    f=${f##*/redis-}; echo "${f%.port}"
  done | sort -n
}

redis_node_port() { cut -d' ' -f1 <"$RUN/redis-$1.port"; }

# What silos and edges get as Store:Redis: the one server, or every node of the cluster (any one is enough to learn
# the slot map; all of them, so that a dead one is not the only way in).
store_address() {
  if sharded; then
    local n out=()
    for n in $(redis_nodes); do out+=("127.0.0.1:$(redis_node_port "$n")"); done
    (IFS=,; echo "${out[*]}")
  else
    echo "127.0.0.1:$REDIS_PORT"
  fi
}

store_env() { # the environment a silo or edge needs for the store
  echo "Store__Redis=$(store_address)"
  if sharded; then echo "Store__Sharded=true"; fi
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

start_redis_node() { # number
  local n=$1 port bus log=$RUN/redis-$1.log
  read -r port bus <"$RUN/redis-$n.port"
  listening "$port" && die "port $port is already in use; is redis-$n already running?"
  mkdir -p "$RUN/redis-$n"
  # As the single server (appendfsync always, noeviction), in cluster mode. A master silent for the node timeout is
  # replaced by its replica: 2 s here, so that a drill sees the failover within seconds (Redis's default is 15 s).
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always --dir "$RUN/redis-$n" \
    --maxmemory-policy noeviction --cluster-enabled yes --cluster-config-file "$RUN/redis-$n/nodes.conf" \
    --cluster-port "$bus" --cluster-node-timeout "${IMACTORS_REDIS_NODE_TIMEOUT_MS:-2000}" --daemonize no </dev/null >"$log" 2>&1 &
  echo $! >"$RUN/redis-$n.pid"
  wait_port "$port" 20 "redis-$n" "$!" "$log"
  echo "redis-$n  pid $(cat "$RUN/redis-$n.pid")  127.0.0.1:$port"
}

# Until every slot is served by a master that the cluster agrees on (redis-cli's own check).
wait_redis_cluster() { # seconds
  local n port
  for _ in $(seq 1 $(( $1 * 5 ))); do
    for n in $(redis_nodes); do
      alive "$(cat "$RUN/redis-$n.pid" 2>/dev/null || true)" redis-server || continue
      port=$(redis_node_port "$n")
      if redis-cli --cluster check "127.0.0.1:$port" 2>/dev/null | grep -q 'All 16384 slots covered' \
         && redis-cli -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
        return 0
      fi
      break
    done
    sleep 0.2
  done
  die "the Redis Cluster did not serve every slot within $1 s; see $RUN/redis-*.log"
}

start_redis_cluster() { # shards
  local n port addresses=()
  command -v redis-cli >/dev/null || die "redis-cli is not installed (apt-get install -y redis-server)"
  echo "$1" >"$RUN/redis.shards"
  for n in $(seq 1 $(( $1 * 2 ))); do
    port=$(free_port); echo "$port $(free_port "$port")" >"$RUN/redis-$n.port"
    start_redis_node "$n"
    addresses+=("127.0.0.1:$port")
  done
  # One replica per master; all on one host, which redis-cli warns about and accepts with --cluster-yes.
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$RUN/redis-create.log" 2>&1 \
    || die "redis-cli --cluster create failed; see $RUN/redis-create.log"
  wait_redis_cluster 30
  echo "redis cluster: $1 masters with a replica each"
}

redis_role() { # node number -> master | slave | down
  redis-cli -p "$(redis_node_port "$1")" role 2>/dev/null | head -n 1 || true
}

kill_redis_master() { # node number or empty (the first master running)
  local n=$1 pid
  if [ -z "$n" ]; then
    for n in $(redis_nodes); do [ "$(redis_role "$n")" = master ] && break; n=; done
    [ -n "$n" ] || die "no Redis master is running"
  else
    [[ "$n" =~ ^[0-9]+$ ]] && [ -f "$RUN/redis-$n.port" ] || die "there is no redis-$n (see: bash scripts/cluster.sh status)"
    [ "$(redis_role "$n")" = master ] || die "redis-$n is not a running master"
  fi
  pid=$(cat "$RUN/redis-$n.pid")
  kill -KILL "$pid"
  wait_exit "$pid" 10 || die "redis-$n (pid $pid) did not exit"
  echo "redis-$n (master) killed (SIGKILL, pid $pid)"
}

signal_redis() { # signal: every running node, or the one server
  local n pid
  if sharded; then
    local any=
    for n in $(redis_nodes); do
      pid=$(cat "$RUN/redis-$n.pid" 2>/dev/null || true)
      alive "$pid" redis-server || continue
      kill -"$1" "$pid"; wait_exit "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true; any=1
    done
    [ -n "$any" ] || return 1
  else
    pid=$(cat "$RUN/redis.pid" 2>/dev/null || true)
    alive "$pid" redis-server || return 1
    kill -"$1" "$pid"; wait_exit "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
  fi
}

redis_running() {
  local n
  if sharded; then
    for n in $(redis_nodes); do alive "$(cat "$RUN/redis-$n.pid" 2>/dev/null || true)" redis-server && return 0; done
    return 1
  fi
  alive "$(cat "$RUN/redis.pid" 2>/dev/null || true)" redis-server
}

start_stopped_redis() {
  local n started=
  if ! sharded; then
    redis_running && die "redis is already running"
    start_redis; return
  fi
  for n in $(redis_nodes); do
    alive "$(cat "$RUN/redis-$n.pid" 2>/dev/null || true)" redis-server && continue
    start_redis_node "$n"; started=1
  done
  [ -n "$started" ] || die "every Redis node is already running"
  wait_redis_cluster 60
}

start_silo() { # number
  local n=$1 silo gateway admin log=$RUN/silo-$1.log
  read -r silo gateway admin <"$RUN/silo-$n.ports"
  # Every silo has its admin listener (health; metrics turned on here, as Prometheus would scrape them) on a port of its own.
  (cd "$RUN" && export $(store_env) && Cluster__ClusterId="$CLUSTER_ID" \
    exec nohup dotnet "$SILO_DLL" --contentRoot "$(dirname "$SILO_DLL")" \
      --Cluster:SiloPort "$silo" --Cluster:GatewayPort "$gateway" --Admin:Port "$admin" --Admin:Metrics true </dev/null >>"$log" 2>&1) &
  echo $! >"$RUN/silo-$n.pid"
  wait_port "$gateway" 60 "silo-$n" "$!" "$log"
  echo "silo-$n   pid $(cat "$RUN/silo-$n.pid")  silo 127.0.0.1:$silo  gateway 127.0.0.1:$gateway  admin http://127.0.0.1:$admin"
}

start_edge() { # number
  local n=$1 tcp http log=$RUN/edge-$1.log
  read -r tcp http <"$RUN/edge-$n.ports"
  (cd "$RUN" && export Store__Redis="$(store_address)" && Cluster__ClusterId="$CLUSTER_ID" \
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
  local a b; a=$(free_port); b=$(free_port "$a"); echo "$a $b $(free_port "$a" "$b")" >"$RUN/silo-$n.ports"
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
  if sharded; then
    for n in $(redis_nodes); do
      pid=$(cat "$RUN/redis-$n.pid" 2>/dev/null || true)
      if alive "$pid" redis-server; then state="running $(redis_role "$n")"; else state=stopped; fi
      printf '%-8s pid %-8s %-44s %s\n' "redis-$n" "$pid" "127.0.0.1:$(redis_node_port "$n")" "$state"
    done
  else
    pid=$(cat "$RUN/redis.pid" 2>/dev/null || true)
    if alive "$pid" redis-server; then state=running; else state=stopped; fi
    printf '%-8s pid %-8s %-44s %s\n' redis "$pid" "127.0.0.1:$REDIS_PORT" "$state"
  fi
  for n in $(members silo); do
    pid=$(cat "$RUN/silo-$n.pid" 2>/dev/null || true); read -r -a ports <"$RUN/silo-$n.ports"
    if alive "$pid" "$SILO_DLL"; then state=running; else state=stopped; fi
    printf '%-8s pid %-8s %-44s %s\n' "silo-$n" "$pid" "silo :${ports[0]}  gateway :${ports[1]}  admin :${ports[2]}" "$state"
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
  signal_redis TERM || true
  echo "cluster stopped (logs and Redis data stay in $RUN)"
}

start() {
  local silos=2 edges=2 shards=0 build=1
  while [ $# -gt 0 ]; do
    case $1 in
      --silos) [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || die "--silos needs a number from 1 to 99"; silos=$2; shift 2 ;;
      --edges) [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || die "--edges needs a number from 1 to 99"; edges=$2; shift 2 ;;
      --redis-shards) [[ "${2:-}" =~ ^[1-9]$ ]] || die "--redis-shards needs a number from 1 to 9"; shards=$2; shift 2 ;;
      --no-build) build=0; shift ;;
      *) die "unknown option for start: $1" ;;
    esac
  done
  if [ -f "$RUN/cluster.id" ]; then
    if redis_running || [ -n "$(running_members silo "$SILO_DLL")$(running_members edge "$EDGE_DLL")" ]; then
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
  if [ "$shards" -gt 0 ]; then
    start_redis_cluster "$shards"
  else
    REDIS_PORT=$(free_port); echo "$REDIS_PORT" >"$RUN/redis.port"
    start_redis
  fi
  store_address >"$RUN/redis.address"
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
    signal=TERM; [ "$command" = kill-redis ] && signal=KILL
    signal_redis "$signal" || die "redis is not running"
    echo "redis stopped (${command%-redis})" ;;
  kill-redis-master) [ $# -le 1 ] || die "kill-redis-master takes at most one node number"; need_cluster
    sharded || die "kill-redis-master needs a cluster started with --redis-shards"
    kill_redis_master "${1:-}" ;;
  start-redis) [ $# -eq 0 ] || die "start-redis takes no arguments"; need_cluster
    start_stopped_redis ;;
  stop) [ $# -eq 0 ] || die "stop takes no arguments"; need_cluster; stop_all ;;
  ""|-h|--help|help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$command' (see: bash scripts/cluster.sh help)" ;;
esac
