#!/usr/bin/env bash
# Benchmarks CreateApp/GetApp on one control-plane instance, on the embedded H2 store or on a fresh
# database of the local PostgreSQL (127.0.0.1:5432, as the role of FEDPLANE_TEST_PG_USER /
# _PASSWORD / _DATABASE, default fedplane_test, which needs CREATEDB: the role ./scripts/test makes).
#   loadtest/bench-api.sh h2|postgres [extra fedplane-loadtest api options, e.g. --rate 500 --duration 30]
# Builds the jars (package, never install; BENCH_SKIP_BUILD=1 reuses them), starts the control plane
# on free ports in a temporary data dir, runs the load, prints the report, stops the control plane
# and drops the database.
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:-h2}; shift || true
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B -ntp -DskipTests -pl control-plane,loadtest -am package >/dev/null
fi
pg_user=${FEDPLANE_TEST_PG_USER:-fedplane_test}
export PGPASSWORD=${FEDPLANE_TEST_PG_PASSWORD:-fedplane-test}
pg_db=${FEDPLANE_TEST_PG_DATABASE:-fedplane_test}
data=$(mktemp -d /tmp/fedplane-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
grpc=$(free_port); http=$(free_port)
token="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
db=""
env_args=(FEDPLANE_DATA_DIR="$data" FEDPLANE_ADMIN_TOKEN="$token" GRPC_SERVER_PORT="$grpc" MICRONAUT_SERVER_PORT="$http")
if [ "$store" = postgres ]; then
  db="fedplane_bench_$(date +%s)"
  psql -q -h 127.0.0.1 -U "$pg_user" -d "$pg_db" -c "CREATE DATABASE $db"
  env_args+=(FEDPLANE_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" FEDPLANE_DB_USER="$pg_user" FEDPLANE_DB_PASSWORD="$PGPASSWORD")
else
  env_args+=(FEDPLANE_DB_URL="jdbc:h2:file:$data/fedplane;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0")
fi
cleanup() {
  [ -n "${cp_pid:-}" ] && kill "$cp_pid" 2>/dev/null && wait "$cp_pid" 2>/dev/null || true
  [ -n "$db" ] && psql -q -h 127.0.0.1 -U "$pg_user" -d "$pg_db" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$data"
}
trap cleanup EXIT
env "${env_args[@]}" java -Xmx1g ${CONTROL_PLANE_JAVA_OPTS:-} -jar control-plane/target/fedplane-control-plane.jar >"$data/control-plane.log" 2>&1 &
cp_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$http/health" >/dev/null || { cat "$data/control-plane.log"; exit 1; }
java -jar loadtest/target/fedplane-loadtest.jar api --target "127.0.0.1:$grpc" --token "$token" --label "$store" "$@"
