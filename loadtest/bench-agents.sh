#!/usr/bin/env bash
# Propagation and failover latency with simulated agents against one control plane on H2.
#   loadtest/bench-agents.sh [extra fedplane-loadtest agents options, e.g. --clusters 100 --apps 100 --kills 5]
# Starts the control plane on free ports in a temporary data dir with a 5 s grace period (the
# measured time starts when the grace period expires, so its length does not change the result).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests -pl control-plane,loadtest -am install >/dev/null
data=$(mktemp -d /tmp/fedplane-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
grpc=$(free_port); http=$(free_port)
token="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cleanup() {
  [ -n "${cp_pid:-}" ] && kill "$cp_pid" 2>/dev/null && wait "$cp_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
env FEDPLANE_DATA_DIR="$data" FEDPLANE_ADMIN_TOKEN="$token" GRPC_SERVER_PORT="$grpc" MICRONAUT_SERVER_PORT="$http" \
  FEDPLANE_DB_URL="jdbc:h2:file:$data/fedplane;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0" \
  FEDPLANE_LOST_AFTER=5s FEDPLANE_HEARTBEAT_INTERVAL=1s \
  java -Xmx1g ${CONTROL_PLANE_JAVA_OPTS:-} -jar control-plane/target/fedplane-control-plane.jar >"$data/control-plane.log" 2>&1 &
cp_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$http/health" >/dev/null || { cat "$data/control-plane.log"; exit 1; }
java -jar loadtest/target/fedplane-loadtest.jar agents --target "127.0.0.1:$grpc" --token "$token" --lost-after 5 "$@"
