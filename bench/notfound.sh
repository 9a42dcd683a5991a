# The notfound scenario (issue 20 point 8), sourced by bench/run.sh: the 404 of a chatbot that is
# another owner's against the 404 of a chatbot id that does not exist, with the same keys, on
# get-leads and on a keyed capture. Both should take the same path (the owner and capture-settings
# caches remember missing ids too), so their medians should match; before, a missing id was read
# from the database on every request. BENCH_NOTFOUND_ROUNDS rounds (default 5) interleave the two
# kinds, each a wrk run of BENCH_NOTFOUND_DURATION (default 10s) on BENCH_NOTFOUND_CONNECTIONS
# connections (default 1: one request at a time, as the issue measured it); the medians of the
# rounds' p50 are printed. 100 pairs of each kind, so every entry stays in the caches. Then, per route,
# bench/NotFoundPairs.java asks the two kinds alternately (BENCH_NOTFOUND_PAIRS pairs, default 20000,
# in a random order within each pair) and prints both p50s and the median of the paired differences:
# the comparison that the machine's drift between wrk rounds cannot bias.

notfound_pairs() { # writes $WORK/notfound-others.txt and $WORK/notfound-missing.txt
  local owners="$WORK/notfound-owners.txt"
  "${PG[@]}" -F ' ' -d "$DB" -c "SELECT id, owner_id FROM chatbots" >"$owners"
  # Each key (the first 100 chatbots of the keys file) with the next chatbot of another owner.
  awk 'NR == FNR { owner[$1] = $2; next }
       $1 == "chatbot" { n++; id[n] = $2; secret[n] = $3 }
       END {
         for (i = 1; i <= n && i <= 100; i++) {
           for (k = 1; k < n; k++) {
             j = (i + k - 1) % n + 1
             if (owner[id[j]] != owner[id[i]]) { print id[j], secret[i]; break }
           }
         }
       }' "$owners" "$KEYS" >"$WORK/notfound-others.txt"
  # The same keys with ids shaped like chatleads' own (21 url-safe characters) that exist nowhere.
  local secret
  while read -r _ secret; do
    printf '%s %s\n' "$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-21)" "$secret"
  done <"$WORK/notfound-others.txt" >"$WORK/notfound-missing.txt"
}

scenario_notfound() {
  local rounds="${BENCH_NOTFOUND_ROUNDS:-5}" duration="${BENCH_NOTFOUND_DURATION:-10s}"
  local connections="${BENCH_NOTFOUND_CONNECTIONS:-1}" route kind r out line status id secret
  notfound_pairs
  for kind in others missing; do
    read -r id secret <"$WORK/notfound-$kind.txt"
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $secret" \
      "$BASE/api/v1/get-leads?chatbotId=$id")
    [ "$status" = 404 ] || { echo "notfound: a $kind pair answers $status, not 404" >&2; exit 1; }
  done
  for route in get-leads capture; do
    local others=() missing=()
    log "warm-up: notfound $route, both kinds, 5 s each"
    for kind in others missing; do
      BENCH_SCENARIO=warmup BENCH_NOTFOUND_ROUTE=$route wrk -t1 -c"$connections" -d5s -s bench/lua/notfound.lua \
        "$BASE" -- "$WORK/notfound-$kind.txt" >/dev/null
    done
    for r in $(seq 1 "$rounds"); do
      for kind in others missing; do
        out=$(BENCH_SCENARIO="notfound-$route-$kind" BENCH_NOTFOUND_ROUTE=$route wrk -t1 -c"$connections" \
          -d"$duration" --latency -s bench/lua/notfound.lua "$BASE" -- "$WORK/notfound-$kind.txt")
        line=$(grep '^RESULT' <<<"$out")
        # Every answer must be the 404: wrk counts each as non2xx.
        [ "$(field "$line" non2xx)" = "$(field "$line" requests)" ] || log "notfound: not every answer was a 404: $line"
        result "$line round=$r"
        if [ "$kind" = others ]; then others+=("$(field "$line" p50_ms)"); else missing+=("$(field "$line" p50_ms)"); fi
      done
    done
    result "RESULT notfound-$route median_of=$rounds connections=$connections others_p50_ms=$(printf '%s\n' "${others[@]}" | median) missing_p50_ms=$(printf '%s\n' "${missing[@]}" | median)"
    # The paired design: both kinds alternately on one connection, so drift falls on both alike.
    log "notfound $route, paired: ${BENCH_NOTFOUND_PAIRS:-20000} pairs on one connection"
    result "$("$JAVA" bench/NotFoundPairs.java "$BASE" "$WORK/notfound-others.txt" "$WORK/notfound-missing.txt" \
      "${BENCH_NOTFOUND_PAIRS:-20000}" "$route")"
  done
}
