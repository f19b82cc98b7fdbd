#!/usr/bin/env bash
# Latency of one RecordSpend command over HTTP against the length of its campaign's stream: N sequential spend
# commands to a campaign launched just now (stream of 1..N events) and N to the longest campaign of the tier S demo
# history (cmp-00010, 491 events at the start). Needs the service running on the tier S database (docs/profile.sh's
# kpi_prof), started as in docs/profile.sh but without KPI_LEDGER_DEMO_DATA. Usage: B=http://localhost:18080 bash docs/profile-spend.sh
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-http://localhost:18080}; N=${N:-200}; OUT=${OUT:-target/prof}; RUN=${RUN:-$(date +%s)}
H="Authorization: Bearer $(bash docs/make-token.sh crm,analyst,auditor,admin profiler 8)"
post() { curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -XPOST "$B$1" -H "$H" -H 'Content-Type: application/json' -d "$2"; }
post /api/campaigns "{\"campaignId\":\"prof-new-$RUN\",\"name\":\"profile\",\"channel\":\"email\",\"currency\":\"EUR\",\"launchedOn\":\"2025-01-01\"}"
stats() { sort -k2 -n "$1" | awk -v l="$2" '{t[NR]=$2; c[$1]++} END {printf "%s: n=%d p50=%.1f ms p90=%.1f ms codes:", l, NR, 1000*t[int(NR*0.5)], 1000*t[int(NR*0.9)]; for (k in c) printf " %s=%d", k, c[k]; print ""}'; }
for round in 1 2; do   # alternate, so that both see the same machine load
  for c in "prof-new-$RUN" cmp-00010; do
    for i in $(seq "$N"); do
      post "/api/campaigns/$c/spend" "{\"spendId\":\"prof-$RUN-$round-$i\",\"amount\":10.00,\"currency\":\"EUR\",\"spentOn\":\"2025-06-01\",\"costType\":\"MEDIA\"}"
    done > "$OUT/spend-$c-$round.txt"
    stats "$OUT/spend-$c-$round.txt" "round $round, campaign $c"
  done
done | tee "$OUT/spend-latency.txt"
