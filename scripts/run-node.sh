#!/usr/bin/env bash
# Starts a single ImActors node on localhost: one process holding a silo (with the embedded store) and an
# edge. Ctrl-C stops it. Data stays in ./data between runs.
#   bash scripts/run-node.sh
# Environment: IMACTORS_DATA (default ./data), IMACTORS_TCP_PORT (7400), IMACTORS_HTTP_PORT (7401),
# IMACTORS_ADMIN_PORT (7480: metrics, and the admin API when Admin__ApiKeys__<name> is set),
# IMACTORS_SECRET or Auth__Secret (default: the public development secret, allowed for this node explicitly; see
# docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/local-settings.sh
source "$ROOT/scripts/lib/local-settings.sh"
DATA=${IMACTORS_DATA:-$ROOT/data}
TCP_PORT=${IMACTORS_TCP_PORT:-7400}
HTTP_PORT=${IMACTORS_HTTP_PORT:-7401}
ADMIN_PORT=${IMACTORS_ADMIN_PORT:-7480}
mkdir -p "$DATA"

# Refuse cleanly if another node (or anything else) already holds a port we need.
for port in 6380 11111 30000 "$TCP_PORT" "$HTTP_PORT" "$ADMIN_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: port $port on 127.0.0.1 is in use (is a node already running?)" >&2
    exit 1
  fi
done

echo "building..."
dotnet build "$ROOT/ImActors.sln" -c Release -v quiet -nologo >/dev/null

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

wait_port() { # host port seconds what
  for _ in $(seq 1 $(( $3 * 10 ))); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "error: $4 did not start listening on $1:$2" >&2
  exit 1
}

# One process: the silo, its embedded store and the edge (Node/). A cluster runs them apart: scripts/cluster.sh.
(cd "$DATA" && exec dotnet "$ROOT/Node/bin/Release/net10.0/ImActors.Node.dll" \
  --contentRoot "$ROOT/Node/bin/Release/net10.0" --Store:DataDir "$DATA/store" \
  --Edge:TcpPort "$TCP_PORT" --Edge:HttpPort "$HTTP_PORT" --Admin:Port "$ADMIN_PORT" --Admin:Metrics true --WebChat:DevTokens true $(local_edge_args)) &
pids+=($!)
wait_port 127.0.0.1 "$TCP_PORT" 90 "the node"

cat <<MSG

ImActors is running.
  clients connect to  tcp://127.0.0.1:$TCP_PORT   or   ws://127.0.0.1:$HTTP_PORT/ws
  web chat            http://127.0.0.1:$HTTP_PORT/   (sign in as anyone: development tokens for local callers)
  health              http://127.0.0.1:$HTTP_PORT/health
  metrics             http://127.0.0.1:$ADMIN_PORT/metrics   (Prometheus; loopback only)
  data                $DATA
Try:  dotnet run --project Client/Imctl -- listen --as bob
      dotnet run --project Client/Imctl -- send bob "hello" --as alice
Ctrl-C stops the node.
MSG
wait -n "${pids[@]}"
