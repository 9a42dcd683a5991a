#!/usr/bin/env bash
# How each benchmark figure grows from 1M to 10M leads (issue 18 point 1): runs bench/run.sh's
# scenarios at BENCH_SCALE=1m, then at 10m, back to back with the same build and settings, then
# bench/import.sh into each scale's database, and prints one markdown table: each figure at both
# sizes, the growth factor (10m / 1m) and whether the issue's target is met.
#
#   bench/growth.sh [SCENARIO...]      default: hot filtered deep deep-cursor ingest export console import
#
# The figures, medians over the rounds of each scenario:
#   hot, filtered, deep, deep-cursor   server and PostgreSQL CPU µs per request (BENCH_CPU=1, always on
#                                      here) and p50 latency; target for all but deep: at most 1.3×
#   ingest                             requests/s (target: at least 0.9×), and its CPU µs per request
#   export                             rows/s of the big chatbot's CSV (target: at least 0.8×); the big
#                                      chatbot holds 200,000 leads at 1m and 2,000,000 at 10m
#   console                            p50 ms of the leads page (first and deep), the search (rare,
#                                      middling, common term) and the chart (30 and 365 days); at most 1.3×
#   import                             rows/s of `lead import` of BENCH_IMPORT_ROWS generated rows
#                                      (default 1,000,000) into a new chatbot of the scale's database,
#                                      JVM start included (target: at least 0.8×); removed afterwards
#   startup (when asked for)           ms to the first 200; no target
#   with BENCH_IO=1, also               PostgreSQL's blocks read from outside shared_buffers per request
#                                      of hot, filtered, deep, deep-cursor and ingest; no target
# What grows: hot, filtered and ingest use the small chatbots, about 800 leads each at both scales,
# so for them the table, its indexes and the chatbots and keys the caches hold grow tenfold (999 to
# 9,999 chatbots, 100 to 1,000 keys); deep reads the same pages 1 to 2,000 at both; the big chatbot
# grows tenfold, so deep-cursor walks ten times as far, export sends ten times the rows, and the
# console's search terms match 1 lead (rare), 0.56 % of them (middling: "lead99") and all (common).
# The CPU figures count every PostgreSQL process, so a checkpoint or autovacuum during a run shows
# in them: run on a quiet machine, and read the raw lines when one figure stands out.
#
# Settings (environment): everything bench/run.sh reads applies to both scales alike (BENCH_DURATION,
# BENCH_ROUNDS, BENCH_RESEED, BENCH_JAVA...), except the shape, which is the scale's:
#   BENCH_GROWTH_SCALES="1m 10m"       the scales, in order; the factor is the last over the first
#   BENCH_LEADS_1m= BENCH_BIG_1m= BENCH_OWNERS_1m= BENCH_CHATBOTS_1m= BENCH_DB_1m= BENCH_KEYS_1m=
#                                      override one scale's shape, database or keys file (likewise _10m),
#                                      e.g. to try the script on small data, or to use a database seeded
#                                      from another checkout with the keys file it wrote
#   BENCH_IMPORT_ROWS=1000000
#   BENCH_GROWTH_TABLE_ONLY=1          run nothing: print the table of what BENCH_GROWTH_OUT already holds
#   BENCH_GROWTH_OUT=bench/work/growth-<UTC time>   where each scale's RESULT lines (SCALE.txt), the
#                                      import's output (import-SCALE.txt) and the table (table.md) go
# With the defaults (30 s runs, 3 rounds) each scale takes about a quarter of an hour. The 10m
# database takes about 10 minutes to seed the first time (1,000,000 leads: 1 minute); then it is reused, and the leads
# that ingest runs add are deleted before each scale's runs (BENCH_TRIM=1; BENCH_TRIM=0 keeps them).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALES=(${BENCH_GROWTH_SCALES:-1m 10m})
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(hot filtered deep deep-cursor ingest export console import)
RUN_SCENARIOS=() IMPORT=0
for scenario in "${SCENARIOS[@]}"; do
  if [ "$scenario" = import ]; then IMPORT=1; else RUN_SCENARIOS+=("$scenario"); fi
done
OUT="${BENCH_GROWTH_OUT:-bench/work/growth-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
log() { printf '== %s\n' "$*" >&2; }

for scale in "${SCALES[@]}"; do
  # BENCH_GROWTH_TABLE_ONLY=1: no runs, the table again from what $OUT holds (a scale run again alone,
  # say, with BENCH_GROWTH_SCALES=1m and the same BENCH_GROWTH_OUT).
  [ "${BENCH_GROWTH_TABLE_ONLY:-0}" != 1 ] || break
  # The scale's own overrides, as BENCH_* for bench/run.sh.
  shape=()
  for name in LEADS BIG OWNERS CHATBOTS DB KEYS; do
    value_name="BENCH_${name}_$scale"
    if [ -n "${!value_name:-}" ]; then shape+=("BENCH_$name=${!value_name}"); fi
  done
  rm -f "$OUT/$scale.txt"
  log "scale $scale: bench/run.sh ${RUN_SCENARIOS[*]:-(seed only)}"
  # With no scenario, run.sh would run its defaults: startup is the cheapest that still seeds and starts.
  # Trimmed of earlier ingest runs' leads, so that both scales hold what `dev seed` made.
  env "${shape[@]}" BENCH_SCALE="$scale" BENCH_CPU=1 BENCH_TRIM="${BENCH_TRIM:-1}" BENCH_RESULTS="$OUT/$scale.txt" \
    bench/run.sh "${RUN_SCENARIOS[@]:-startup}" >&2
  if [ "$IMPORT" = 1 ]; then
    db=$(sed -n 's/^RUN .* db=\([^ ]*\) .*/\1/p' "$OUT/$scale.txt" | tail -1)
    log "scale $scale: bench/import.sh ${BENCH_IMPORT_ROWS:-1000000} rows into $db"
    BENCH_IMPORT_DB="$db" BENCH_EXPORT=0 bench/import.sh "${BENCH_IMPORT_ROWS:-1000000}" postgres | tee "$OUT/import-$scale.txt" >&2
    sed -n 's/^postgres: imported \([0-9]*\) rows in \([0-9.]*\) s = \([0-9]*\) rows\/s.*/RESULT import rows=\1 seconds=\2 rows_per_s=\3/p' \
      "$OUT/import-$scale.txt" >>"$OUT/$scale.txt"
  fi
done

# Every measurement as "ORDER<TAB>scenario<TAB>figure<TAB>target<TAB>value", one per round; targets:
# "<=1.3" (a cost) or ">=0.8" (a rate) on the factor, "-" for none.
measurements() { # RESULTS_FILE
  awk '
    function f(name,   i, kv) {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
      return ""
    }
    function put(order, scenario, figure, target, value) {
      if (value != "") printf "%02d\t%s\t%s\t%s\t%s\n", order, scenario, figure, target, value
    }
    $1 != "RESULT" { next }
    $2 == "hot" || $2 == "filtered" || $2 == "deep" || $2 == "deep-cursor" {
      o = ($2 == "hot" ? 0 : $2 == "filtered" ? 4 : $2 == "deep" ? 8 : 12)
      t = ($2 == "deep" ? "-" : "<=1.3")
      put(o, $2, "server CPU µs/request", t, f("server_us"))
      put(o + 1, $2, "PostgreSQL CPU µs/request", t, f("postgres_us"))
      put(o + 2, $2, "p50 ms", t, f("p50_ms"))
      put(o + 3, $2, "requests/s", "-", f("rps"))
      put(50 + o / 4, $2, "PostgreSQL blocks read/request", "-", f("pg_blocks_read"))
    }
    $2 == "ingest" && f("rps") != "" {
      put(16, "ingest", "requests/s", ">=0.9", f("rps"))
      put(17, "ingest", "server CPU µs/request", "-", f("server_us"))
      put(18, "ingest", "PostgreSQL CPU µs/request", "-", f("postgres_us"))
      put(54, "ingest", "PostgreSQL blocks read/request", "-", f("pg_blocks_read"))
    }
    $2 == "export" && f("seconds") + 0 > 0 { put(20, "export", "rows/s", ">=0.8", sprintf("%.0f", f("rows") / f("seconds"))) }
    $2 == "import" { put(21, "import", "rows/s", ">=0.8", f("rows_per_s")) }
    $2 ~ /^console-/ {
      n = substr($2, 9)
      o = (n == "first" ? 30 : n == "deep" ? 31 : n == "search-rare" ? 32 : n == "search-middling" ? 33 : n == "search-common" ? 34 : n == "chart-30" ? 35 : n == "search-email" ? 37 : 36)
      put(o, "console " n, "p50 ms", "<=1.3", f("p50_ms"))
    }
    $2 == "startup" { put(40, "startup", "ms to the first 200", "-", f("first_200_ms")) }
  ' "$1"
}

# The median of each figure: "ORDER<TAB>scenario<TAB>figure<TAB>target<TAB>median".
medians() {
  sort -t$'\t' -k1,1 -k5,5g | awk -F'\t' '
    function flush() { if (n) printf "%s\t%s\n", key, (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) }
    { k = $1 "\t" $2 "\t" $3 "\t" $4; if (k != key) { flush(); key = k; n = 0 } v[++n] = $5 }
    END { flush() }'
}

for scale in "${SCALES[@]}"; do
  measurements "$OUT/$scale.txt" | medians | sed "s/^/$scale\t/"
done >"$OUT/medians.tsv"

{
  header="| scenario | figure |" rule="| --- | --- |"
  for scale in "${SCALES[@]}"; do header+=" $scale |"; rule+=" ---: |"; done
  echo "$header growth | target | met? |"
  echo "$rule ---: | --- | --- |"
  awk -F'\t' -v scales="${SCALES[*]}" '
    function fmt(x) { return x == "" ? "—" : x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x) }
    BEGIN { ns = split(scales, s, " ") }
    { key = $2 "\t" $3 "\t" $4 "\t" $5; if (!(key in seen)) { seen[key] = 1; keys[++nk] = key } value[$1, key] = $6 }
    END {
      for (i = 1; i <= nk; i++) {
        split(keys[i], k, "\t")
        line = "| " k[2] " | " k[3] " |"
        for (j = 1; j <= ns; j++) line = line " " fmt(value[s[j], keys[i]]) " |"
        first = value[s[1], keys[i]]; last = value[s[ns], keys[i]]
        growth = "—"; met = "—"; target = "—"
        if (first != "" && last != "" && first + 0 > 0) {
          factor = last / first; growth = sprintf("%.2f×", factor)
          if (k[4] ~ /^<=/) { limit = substr(k[4], 3) + 0; target = "≤ " limit "×"; met = (factor <= limit ? "yes" : "**no**") }
          if (k[4] ~ /^>=/) { limit = substr(k[4], 3) + 0; target = "≥ " limit "×"; met = (factor >= limit ? "yes" : "**no**") }
        }
        print line " " growth " | " target " | " met " |"
      }
    }' <(sort -s -t$'\t' -k2,2n "$OUT/medians.tsv")
} | tee "$OUT/table.md"
log "raw RESULT lines: $OUT/*.txt; the table: $OUT/table.md"
