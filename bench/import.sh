#!/usr/bin/env bash
# Times `lead import` of a generated CSV with the packaged jar and prints rows per second.
#
#   bench/import.sh [ROWS] [sqlite|postgres]
#
# BENCH_IMPORT_EVENTS=1 registers a webhook for the chatbot's owner and imports with --emit-events,
# so every row also writes its leads.submit delivery (no server runs: they stay in the outbox).
# postgres uses BENCH_PG_URL (default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres) to
# create and drop a scratch database, or with BENCH_IMPORT_DB=NAME imports into that existing
# database on the same server instead (a seeded one: bench/growth.sh imports into the 1m and the 10m
# benchmark data), into a chatbot of a new owner that are deleted, with their leads, at the end.
# Build first: mvn -q package -DskipTests
set -euo pipefail

ROWS=${1:-1000000}
DB=${2:-postgres}
HERE=$(cd "$(dirname "$0")/.." && pwd)
JAR="$HERE/target/chatleads.jar"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -f "$JAR" ] || { echo "missing $JAR; run mvn -q package -DskipTests" >&2; exit 1; }

case "$DB" in
  sqlite)
    export CHATLEADS_DB_URL="jdbc:sqlite:$WORK/bench.db"
    ;;
  postgres)
    ADMIN=${BENCH_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}
    NAME="${BENCH_IMPORT_DB:-chatleads_bench_$$}"
    HOSTPORT=$(echo "$ADMIN" | sed -E 's#jdbc:postgresql://([^/]+)/.*#\1#')
    PGUSER=$(echo "$ADMIN" | sed -nE 's#.*[?&]user=([^&]+).*#\1#p')
    PSQL=(psql -X -q -h "${HOSTPORT%:*}" -p "${HOSTPORT#*:}" -U "${PGUSER:-postgres}")
    if [ -n "${BENCH_IMPORT_DB:-}" ]; then
      # The owner's chatbot and leads go with it (ON DELETE CASCADE); the seed is left as it was.
      remove_owner() {
        [ -z "${OWNER:-}" ] || "${PSQL[@]}" -d "$NAME" -c "DELETE FROM owners WHERE id = '$OWNER'" -c "VACUUM (ANALYZE) leads"
      }
      trap 'remove_owner; rm -rf "$WORK"' EXIT
    else
      "${PSQL[@]}" -d postgres -c "CREATE DATABASE $NAME"
      trap '"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)"; rm -rf "$WORK"' EXIT
    fi
    export CHATLEADS_DB_URL=$(echo "$ADMIN" | sed -E "s#(jdbc:postgresql://[^/]+)/[^?]*#\1/$NAME#")
    ;;
  *) echo "usage: $0 [ROWS] [sqlite|postgres]" >&2; exit 2 ;;
esac

CL="java -jar $JAR"
OWNER=$($CL owner create --email "bench-import-$$-$(date +%s)@example.com")
BOT=$($CL chatbot create --owner "$OWNER" --name bench)
EVENTS=()
if [ "${BENCH_IMPORT_EVENTS:-0}" = 1 ]; then
  CHATLEADS_WEBHOOK_ALLOW_PRIVATE=true $CL webhook add --owner "$OWNER" --endpoint http://127.0.0.1:9/leads >/dev/null
  EVENTS=(--emit-events)
fi

# Realistic rows: names, mixed-case emails, phones in several spellings, explicit timestamps.
awk -v n="$ROWS" 'BEGIN {
  print "name,email,phone,created_at";
  for (i = 0; i < n; i++) {
    s = i % 86400; d = 1 + int(i / 86400) % 28;
    printf "Lead %d,Lead.%d@Example.COM,+1 415 555 %04d,2024-02-%02dT%02d:%02d:%02d.%03dZ\n",
      i, i, i % 10000, d, int(s / 3600), int(s / 60) % 60, s % 60, i % 1000;
  }
}' > "$WORK/leads.csv"

# The machine's load is printed because shared build machines skew every wall-clock figure; the
# importer's own CPU seconds (user + sys) say how much work it needed whatever the load.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"

# With a local server, the scratch database's backends are sampled every 0.25 s for their CPU
# (user + sys, from /proc): the COPY's backend needs a core of its own, so its CPU bounds the wall
# time. The last 0.25 s of a backend can be missed, so it is a slight underestimate.
sample_backends() {
  set +e
  local tck; tck=$(getconf CLK_TCK)
  while :; do
    ps -eo pid=,args= | awk -v db=" $NAME " 'index($0, "postgres: ") && index($0, db) { print $1 }' |
      while read -r pid; do
        awk -v p="$pid" -v t="$tck" '{ sub(/^.*\) /, ""); print p, ($12 + $13) / t }' "/proc/$pid/stat" 2>/dev/null
      done
    sleep 0.25
  done
}
if [ "$DB" = postgres ] && [ -r /proc/self/stat ]; then
  sample_backends > "$WORK/backends" &
  SAMPLER=$!
fi

START=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$WORK/cpu" $CL lead import --chatbot "$BOT" "${EVENTS[@]}" "$WORK/leads.csv"
END=$(date +%s.%N)
[ -n "${SAMPLER:-}" ] && { kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null || true; }
awk -v r="$ROWS" -v s="$START" -v e="$END" -v db="$DB" \
  'BEGIN { t = e - s; printf "%s: imported %d rows in %.2f s = %.0f rows/s (JVM start included)\n", db, r, t, r / t }'
awk -v r="$ROWS" '{ c = $1 + $2; printf "importer JVM CPU: %.1f s user + %.1f s sys = %.0f rows per CPU-second\n", $1, $2, r / c }' "$WORK/cpu"
if [ -s "$WORK/backends" ]; then
  awk -v r="$ROWS" 'NR == FNR { if ($2 > max[$1]) max[$1] = $2; next }
    { imp = $1 + $2 } END { for (p in max) pg += max[p];
      printf "postgres backends CPU: %.1f s = %.0f rows per backend CPU-second; importer + backends: %.0f rows per CPU-second\n", pg, r / pg, r / (pg + imp) }' \
    "$WORK/backends" "$WORK/cpu"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${BENCH_EXPORT:-1}" = 1 ]; then
  START=$(date +%s.%N)
  $CL lead export --chatbot "$BOT" --output "$WORK/out.csv"
  END=$(date +%s.%N)
  awk -v r="$ROWS" -v s="$START" -v e="$END" -v db="$DB" \
    'BEGIN { t = e - s; printf "%s: exported %d rows in %.2f s = %.0f rows/s (JVM start included)\n", db, r, t, r / t }'
fi
