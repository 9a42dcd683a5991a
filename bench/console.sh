# The console scenario (issue 15), sourced by bench/run.sh: server time of the pages an owner opens
# on the big chatbot (its count from the keys file): the leads table's first page and a page reached by cursor
# deep in it, the search box with a rare term (alone and as the whole email address it begins), a middling
# and a common term, and the chart over 30 and
# 365 days. One request at a time (BENCH_CONSOLE_REQUESTS of each, after 5 to warm up), timed by
# curl on loopback: p50 and p90 in ms. The owner of the big chatbot gets a console password first.
# On PostgreSQL or, with BENCH_SQLITE=FILE, on an SQLite file seeded the same way (bench/run.sh).

console_time() { # URL -> p50 p90 of BENCH_CONSOLE_REQUESTS requests, in ms
  local url="$1" n="${BENCH_CONSOLE_REQUESTS:-40}" i times=()
  for i in 1 2 3 4 5; do curl -s -o /dev/null -b "$WORK/console-cookies" "$url"; done
  for i in $(seq 1 "$n"); do
    times+=("$(curl -s -o /dev/null -b "$WORK/console-cookies" -w '%{http_code} %{time_total}' "$url")")
  done
  printf '%s\n' "${times[@]}" | awk '$1 != 200 { bad++ } { print $2 * 1000 }
    END { if (bad) { print "non-200 answers: " bad > "/dev/stderr"; exit 1 } }' | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)] }'
}

scenario_console() {
  local bot email password=bench-console-password form token cursor leads
  read -r bot _ < <(big_chatbot)
  email=$(query "SELECT o.email FROM owners o JOIN chatbots c ON c.owner_id = o.id WHERE c.id = '$bot'")
  printf %s "$password" | CHATLEADS_DB_URL="$DB_URL" "$JAVA" -jar target/chatleads.jar owner set-password \
    --email "$email" --password-stdin >/dev/null
  rm -f "$WORK/console-cookies"
  form=$(curl -s -c "$WORK/console-cookies" "$BASE/console/sign-in")
  token=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$form" | head -1)
  [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$WORK/console-cookies" -c "$WORK/console-cookies" \
      -H "Origin: $BASE" --data-urlencode "csrf=$token" --data-urlencode "email=$email" \
      --data-urlencode "password=$password" "$BASE/console/sign-in")" = 303 ] || { echo "console sign-in failed" >&2; exit 1; }
  # A cursor three quarters of the way down the big chatbot's leads, as the console writes it:
  # version byte 1 and two big-endian longs (created_at, id), base64url without padding.
  cursor=$(query "SELECT created_at, id FROM leads WHERE chatbot_id = '$bot'
      ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $(( $(big_count) * 3 / 4 ))" |
    python3 -c 'import sys, struct, base64; c, i = map(int, sys.stdin.read().split()); print(base64.urlsafe_b64encode(struct.pack(">bqq", 1, c, i)).decode().rstrip("="))')
  # The oldest lead's email matches one lead: the search reads the chatbot's whole range.
  leads=$(query "SELECT email FROM leads WHERE chatbot_id = '$bot' ORDER BY created_at, id LIMIT 1")
  local page="$BASE/console/chatbots/$bot"
  local today; today=$(date -u +%F)
  local y30; y30=$(date -u -d "$today - 29 days" +%F)
  local y365; y365=$(date -u -d "$today - 364 days" +%F)
  local name url
  for name in first deep search-rare search-email search-middling search-common chart-30 chart-365; do
    case "$name" in
      first) url="$page/leads" ;;
      deep) url="$page/leads?cursor=$cursor" ;;
      search-rare) url="$page/leads?search=${leads%%@*}%40" ;;
      # The same lead's whole address, as an owner pastes it: its domain is in every lead.
      search-email) url="$page/leads?search=${leads%%@*}%40${leads#*@}" ;;
      search-middling) url="$page/leads?search=lead99" ;;
      search-common) url="$page/leads?search=example" ;;
      chart-30) url="$page/chart?startDate=$y30&endDate=$today" ;;
      chart-365) url="$page/chart?startDate=$y365&endDate=$today" ;;
    esac
    read -r p50 p90 < <(console_time "$url")
    result "RESULT console-$name p50_ms=$p50 p90_ms=$p90 requests=${BENCH_CONSOLE_REQUESTS:-40}"
  done
}
