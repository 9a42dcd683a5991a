#!/usr/bin/env bash
# Records a JFR profile of the server under one wrk scenario and prints where its threads (event
# loops and workers) spend their samples, by component. Usage: bench/profile.sh [SCENARIO] (default hot); needs the
# database and keys file that bench/run.sh seeds (BENCH_SCALE=10m: its 10,000,000-lead database;
# BENCH_DB and BENCH_KEYS as in bench/run.sh). BENCH_REDIS=1: rate limits on and shared through Redis, as
# bench/run.sh sets them (BENCH_REDIS_URL, BENCH_RATE_LIMIT, BENCH_REDIS_LEASE_PERCENT).
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO="${1:-hot}"
PORT="${BENCH_PORT:-18080}"
JAVA="${BENCH_JAVA:-java}"
WORK=bench/work
JFR="$WORK/$SCENARIO.jfr"
if [ "${BENCH_SCALE:-1m}" = 10m ]; then DB="${BENCH_DB:-chatleads_bench_10m}"; else DB="${BENCH_DB:-chatleads_bench}"; fi
if [ "$DB" = chatleads_bench ]; then KEYS="${BENCH_KEYS:-$WORK/keys.txt}"; else KEYS="${BENCH_KEYS:-$WORK/keys-$DB.txt}"; fi
limits=(CHATLEADS_API_RATE_LIMIT=0 CHATLEADS_WIDGET_RATE_LIMIT=0)
if [ "${BENCH_REDIS:-0}" = 1 ]; then
  limits=(CHATLEADS_REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379}"
    CHATLEADS_REDIS_KEY_PREFIX="chatleads:profile:$(date +%s%N):"
    CHATLEADS_REDIS_LEASE_PERCENT="${BENCH_REDIS_LEASE_PERCENT:-10}"
    CHATLEADS_API_RATE_LIMIT="${BENCH_RATE_LIMIT:-1000000}" CHATLEADS_API_RATE_WINDOW_SECONDS=10
    CHATLEADS_WIDGET_RATE_LIMIT="${BENCH_RATE_LIMIT:-1000000}" CHATLEADS_WIDGET_RATE_WINDOW_SECONDS=10)
fi
env CHATLEADS_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB?user=postgres" PORT="$PORT" \
  "${limits[@]}" CHATLEADS_BENCH_ENDPOINTS=true \
  "$JAVA" ${BENCH_JAVA_OPTS:--Xmx256m} -XX:StartFlightRecording=filename="$JFR",settings=profile \
  -jar target/chatleads.jar serve >"$WORK/profile-server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
wrk -t2 -c16 -d10s -s "bench/lua/$SCENARIO.lua" "http://127.0.0.1:$PORT" -- "$KEYS" >/dev/null
jcmd "$PID" JFR.stop name=1 >/dev/null 2>&1 || true
jcmd "$PID" JFR.start name=measured settings=profile >/dev/null
wrk -t2 -c16 -d20s -s "bench/lua/$SCENARIO.lua" "http://127.0.0.1:$PORT" -- "$KEYS" | grep RESULT
jcmd "$PID" JFR.dump name=measured filename="$JFR" >/dev/null
jfr print --stack-depth 96 --events jdk.ExecutionSample "$JFR" >"$WORK/$SCENARIO-samples.txt"
# Samples whose stack contains each component (a sample counts once per component).
awk '/jdk.ExecutionSample/ { seen = ""; total++ }
     /line:/ { if (match($0, /(org\.jdbi|io\.vertx\.[a-z]+\.[a-z]+|io\.netty\.[a-z]+|org\.postgresql|com\.zaxxer|com\.fasterxml|io\.micrometer|ch\.qos|io\.github\.bucket4j|io\.lettuce|io\.chatleads\.[a-z]+\.[A-Za-z]+\.[a-zA-Z]+|sun\.security|java\.time|sun\.nio)/)) {
       p = substr($0, RSTART, RLENGTH); if (index(seen, "|" p "|") == 0) { seen = seen "|" p "|"; count[p]++ } } }
     END { print total, "samples"; for (k in count) printf "%d %.0f%% %s\n", count[k], 100 * count[k] / total, k }' \
  "$WORK/$SCENARIO-samples.txt" | sort -rn | head -40
