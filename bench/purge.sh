# The purge scenario (issue 18 point 4), sourced by bench/run.sh: hot and ingest while retention
# deletes old leads, against the same with nothing being deleted. Target: neither slows by more than
# 10 % ("the delete of 1,000,000 old leads at 10M"; run it with BENCH_SCALE=10m). PostgreSQL only.
#
# The old leads: BENCH_PURGE_LEADS of them (default a tenth of BENCH_LEADS, so 1,000,000 at 10m) are
# added to the big chatbot, created three to four years ago, before anything `dev seed` makes (its
# leads span the last 730 days), so `lead purge --older-than 1000` deletes them and nothing else.
# hot and ingest pick among the other chatbots, as they always do; the delete shares the table, its
# indexes, the WAL and the cores with them.
#
# BENCH_PURGE_ROUNDS rounds (default BENCH_ROUNDS), after a warm-up of both, each:
#   - the old leads topped up to BENCH_PURGE_LEADS and VACUUM (ANALYZE) leads (not timed), so that
#     both halves start alike and every "on" half has its full backlog;
#   - off: hot, then ingest, BENCH_DURATION each;
#   - on: `chatleads lead purge --older-than 1000 --chatbot BIG` started beside the server (the same
#     LeadRetention.purge every server's retention job runs: batches of 1,000 leads with a pause of
#     100 ms between them, in a process of its own because the server's job first runs 10 minutes
#     after start), and once it has begun deleting, hot, then ingest; then the purge is stopped.
# Each "on" half logs how many old leads went during each run (RESULT purge-deleted); a purge that
# ran out of old leads before a run ended is flagged (finished_early=1: raise BENCH_PURGE_LEADS), as
# that run then measured little of it. The last line compares the medians: on / off.
# At the end the remaining old leads are deleted and the table vacuumed, so the seed is as before.
# At 10m, alone, the purge deletes the 1,000,000 in about 3 minutes, so 30 s runs never exhaust it;
# adding them takes about 35 s, a VACUUM after a round about 25 s (a round: about 3 minutes). At
# 1m the default 100,000 go in about 20 s, before the runs end: give it BENCH_PURGE_LEADS=1000000.

PURGE_DAYS=1000

purge_cutoff_ms() { echo $(( ($(date +%s) - PURGE_DAYS * 86400) * 1000 )); }

old_leads() { # BIG_CHATBOT -> how many of its leads are older than the purge's cutoff
  query "SELECT count(*) FROM leads WHERE chatbot_id = '$1' AND created_at < $(purge_cutoff_ms)"
}

# Adds old leads to the big chatbot until it has $1 of them, then vacuums: the same state before every round.
purge_top_up() { # WANTED BIG_CHATBOT
  local wanted="$1" big="$2" have need
  have=$(old_leads "$big")
  need=$((wanted - have))
  if [ "$need" -gt 0 ]; then
    log "purge: adding $need old leads to the big chatbot ($have there)"
    # Spread over the year before three years ago, in the order of n; no phone, like half the seed.
    query "INSERT INTO leads (chatbot_id, owner_id, name, email, created_at)
      SELECT c.id, c.owner_id, 'Old Lead ' || n, 'old-' || n || '@example.com',
             (extract(epoch FROM now()) * 1000)::bigint - 1095 * 86400000::bigint - n * (31536000000 / $wanted)
      FROM chatbots c, generate_series($have + 1, $wanted) n WHERE c.id = '$big'" >/dev/null
  fi
  query "VACUUM (ANALYZE) leads" >/dev/null
}

purge_stop() { # the purge this scenario started, if it still runs
  if [ -n "${PURGE_PID:-}" ]; then kill "$PURGE_PID" 2>/dev/null || true; wait "$PURGE_PID" 2>/dev/null || true; fi
  PURGE_PID=
}

purge_clean_up() { # BIG_CHATBOT: deletes the old leads left, so the seed is as `dev seed` made it
  log "purge: deleting the old leads left and vacuuming"
  query "DELETE FROM leads WHERE chatbot_id = '$1' AND created_at < $(purge_cutoff_ms)" >/dev/null
  query "VACUUM (ANALYZE) leads" >/dev/null
}

scenario_purge() {
  [ -z "$SQLITE" ] || { echo "the purge scenario runs on PostgreSQL only" >&2; exit 2; }
  local rounds="${BENCH_PURGE_ROUNDS:-${BENCH_ROUNDS:-3}}" wanted="${BENCH_PURGE_LEADS:-$((LEADS / 10))}"
  local big r half line before mid after early hot_off=() hot_on=() ingest_off=() ingest_on=() p50_off=() p50_on=()
  read -r big _ < <(big_chatbot)
  # Interrupted, the scenario still leaves the seed as it found it.
  PURGE_PID=
  trap "purge_stop; purge_clean_up '$big'; stop_server" EXIT
  log "warm-up: hot for 20 s, ingest for 15 s"
  BENCH_SCENARIO=warmup wrk -t"$THREADS" -c"$CONNECTIONS" -d20s -s bench/lua/hot.lua "$BASE" -- "$KEYS" >/dev/null
  BENCH_SCENARIO=warmup wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s bench/lua/ingest.lua "$BASE" -- "$KEYS" >/dev/null
  for r in $(seq 1 "$rounds"); do
    purge_top_up "$wanted" "$big"
    for half in off on; do
      if [ "$half" = on ]; then
        before=$(old_leads "$big")
        CHATLEADS_DB_URL="$DB_URL" "$JAVA" -jar target/chatleads.jar lead purge --older-than "$PURGE_DAYS" \
          --chatbot "$big" >"$WORK/purge.log" 2>&1 &
        PURGE_PID=$!
        # Its JVM's start is not the delete's cost: the runs begin once leads are going.
        for _ in $(seq 1 300); do
          [ "$(old_leads "$big")" -lt "$before" ] && break
          kill -0 "$PURGE_PID" 2>/dev/null || break
          sleep 0.1
        done
        before=$(old_leads "$big")
      fi
      log "purge round $r/$rounds, purge $half: hot, then ingest, $DURATION each"
      line=$(wrk_run hot); result "$line purge=$half round=$r"
      if [ "$half" = off ]; then
        hot_off+=("$(field "$line" rps)"); p50_off+=("$(field "$line" p50_ms)")
        line=$(wrk_run ingest); result "$line purge=$half round=$r"
        ingest_off+=("$(field "$line" rps)")
        continue
      fi
      hot_on+=("$(field "$line" rps)"); p50_on+=("$(field "$line" p50_ms)")
      mid=$(old_leads "$big")
      if kill -0 "$PURGE_PID" 2>/dev/null; then early=0; else early=1; fi
      line=$(wrk_run ingest); result "$line purge=$half round=$r"
      ingest_on+=("$(field "$line" rps)")
      after=$(old_leads "$big")
      kill -0 "$PURGE_PID" 2>/dev/null || early=1
      purge_stop
      if [ "$early" = 1 ]; then
        log "purge: the purge ran out of old leads before the runs ended; raise BENCH_PURGE_LEADS (now $wanted)"
      fi
      result "RESULT purge-deleted round=$r during_hot=$((before - mid)) during_ingest=$((mid - after)) left=$after finished_early=$early"
    done
  done
  local a b c d
  a=$(printf '%s\n' "${hot_off[@]}" | median); b=$(printf '%s\n' "${hot_on[@]}" | median)
  c=$(printf '%s\n' "${ingest_off[@]}" | median); d=$(printf '%s\n' "${ingest_on[@]}" | median)
  result "RESULT purge-vs-off median_of=$rounds old_leads=$wanted hot_rps_off=$a hot_rps_on=$b hot_ratio=$(awk -v x="$b" -v y="$a" 'BEGIN { printf "%.3f", x / y }') hot_p50_ms_off=$(printf '%s\n' "${p50_off[@]}" | median) hot_p50_ms_on=$(printf '%s\n' "${p50_on[@]}" | median) ingest_rps_off=$c ingest_rps_on=$d ingest_ratio=$(awk -v x="$d" -v y="$c" 'BEGIN { printf "%.3f", x / y }')"
  purge_clean_up "$big"
  trap stop_server EXIT
}
