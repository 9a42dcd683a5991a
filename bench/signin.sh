# The sign-in scenario (issue 15), sourced by bench/run.sh: a wrong password for an owner who has
# one against an email nobody has, interleaved one request at a time. Both must take the same time
# (the unknown email checks a dummy Argon2id hash), so nobody learns from the clock which emails
# have accounts; tests never assert timings, this is where the two are compared. Each request comes
# from its own X-Forwarded-For address (the server trusts it here), and no account gets more than 4
# wrong passwords, so neither throttle (5 per account, 20 per network in 15 minutes) answers instead
# of the hash check. BENCH_SIGNIN_REQUESTS of each (default 40): p50 and p90 in ms, and the ratio.

signin_time() { # EMAIL PASSWORD ADDRESS -> "status seconds"
  local form token cookies="$WORK/signin-cookies"
  rm -f "$cookies"
  form=$(curl -s -c "$cookies" -H "X-Forwarded-For: $3" "$BASE/console/sign-in")
  token=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$form" | head -1)
  curl -s -o /dev/null -b "$cookies" -H "Origin: $BASE" -H "X-Forwarded-For: $3" \
    --data-urlencode "csrf=$token" --data-urlencode "email=$1" --data-urlencode "password=$2" \
    -w '%{http_code} %{time_total}\n' "$BASE/console/sign-in"
}

percentiles() { # "status seconds" lines -> p50 p90 in ms; fails unless every status is 401
  awk '$1 != 401 { bad++ } { print $2 * 1000 }
    END { if (bad) { print "answers other than 401: " bad > "/dev/stderr"; exit 1 } }' | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)] }'
}

scenario_signin() {
  local n="${BENCH_SIGNIN_REQUESTS:-40}" accounts=() email i wrong="$WORK/signin-wrong" unknown="$WORK/signin-unknown"
  local owners=$(( (n + 3) / 4 ))
  mapfile -t accounts < <("${PG[@]}" -d "$DB" -c "SELECT email FROM owners ORDER BY email LIMIT $owners")
  for email in "${accounts[@]}"; do
    printf %s "bench-signin-password" | CHATLEADS_DB_URL="$DB_URL" "$JAVA" -jar target/chatleads.jar owner set-password \
      --email "$email" --password-stdin >/dev/null
  done
  : >"$wrong"; : >"$unknown"
  for i in 1 2; do signin_time "warm-$i@nobody.example" "x" "198.51.100.$i" >/dev/null; done
  for i in $(seq 0 $((n - 1))); do
    signin_time "${accounts[$((i % owners))]}" "not-the-password-$i" "10.$((i / 250)).$((i % 250)).1" >>"$wrong"
    signin_time "nobody-$i-$RANDOM@nobody.example" "not-the-password-$i" "10.$((i / 250)).$((i % 250)).2" >>"$unknown"
  done
  local w50 w90 u50 u90
  read -r w50 w90 < <(percentiles <"$wrong")
  read -r u50 u90 < <(percentiles <"$unknown")
  result "RESULT signin-wrong-password p50_ms=$w50 p90_ms=$w90 requests=$n"
  result "RESULT signin-unknown-email p50_ms=$u50 p90_ms=$u90 requests=$n ratio_p50=$(awk -v a="$u50" -v b="$w50" 'BEGIN { printf "%.3f", a / b }')"
}
