#!/usr/bin/env bash
# Profiles the packaged service with Java Flight Recorder, one recording per phase, on a local PostgreSQL:
#   1. ingest of the tier S demo history (KPI_LEDGER_DEMO_DATA=S: ~20k commands through the command gateway,
#      command handlers, JDBC event store and both read models, as in bulk ingest, without HTTP),
#   2. KPI summary groupBy=campaign, the year, EUR, $KPI_REQUESTS sequential requests,
#   3. verification of the year's summary, 3 runs,
#   4. rebuild of the funnel read model from the first event.
# Usage (after ./mvnw -q -o package -DskipTests):  PGPORT=5433 bash docs/profile.sh
# Needs: a database kpi_prof owned by kpi_ledger/change-me, psql, jcmd, curl, openssl. Writes target/prof/*.jfr and *.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT=${PGPORT:-5433}; DB=${DB:-kpi_prof}; TIER=${TIER:-S}; KPI_REQUESTS=${KPI_REQUESTS:-50}; WARMUP=${WARMUP:-5}; PORT=${PORT:-18080}
OUT=${OUT:-target/prof}
mkdir -p "$OUT"
B=http://localhost:$PORT
TOKEN=$(bash docs/make-token.sh crm,analyst,auditor,admin profiler 8)
H="Authorization: Bearer $TOKEN"
sql() { PGPASSWORD=change-me psql -h localhost -p "$PGPORT" -U kpi_ledger -d "$DB" -tA -c "$1"; }
events() { sql "SELECT count(*) FROM domainevententry" 2>/dev/null || echo 0; }
uptime | tee "$OUT/uptime-start.txt"
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://localhost:$PGPORT/$DB QUARKUS_DATASOURCE_USERNAME=kpi_ledger \
QUARKUS_DATASOURCE_PASSWORD=change-me QUARKUS_HTTP_PORT=$PORT KPI_LEDGER_DEMO_DATA=$TIER \
MP_JWT_VERIFY_PUBLICKEY_LOCATION=$PWD/local-jwt/public-key.pem MP_JWT_VERIFY_ISSUER=local-trial \
  java -Xmx256m -XX:StartFlightRecording=name=ingest,settings=profile,filename=$OUT/ingest.jfr \
  -jar target/quarkus-app/quarkus-run.jar > "$OUT/service.log" 2>&1 &
PID=$!; echo "$PID" > "$OUT/service.pid"; echo "service pid $PID"
until grep -q "Demo data $TIER:" "$OUT/service.log"; do sleep 1; kill -0 $PID; done
grep "Demo data\|Loading demo" "$OUT/service.log" | tee "$OUT/ingest.txt"
# wait for both read models to reach the head (no REBUILDING, lag 0) before stopping the recording
sleep 5; curl -s -H "$H" $B/api/admin/projections | tee -a "$OUT/ingest.txt"; echo
echo "events in store: $(events)" | tee -a "$OUT/ingest.txt"
jcmd $PID JFR.stop name=ingest >/dev/null; uptime | tee -a "$OUT/ingest.txt"

Q="$B/api/kpis/summary?from=2025-01-01&to=2026-01-01&groupBy=campaign&currency=EUR"
for i in $(seq "${WARMUP:-5}"); do curl -s -o /dev/null -H "$H" "$Q"; done   # warm-up
jcmd $PID JFR.start name=kpi settings=profile filename=$OUT/kpi.jfr >/dev/null
for i in $(seq "$KPI_REQUESTS"); do curl -s -o /dev/null -H "$H" -w "%{http_code} %{time_total}\n" "$Q"; done > "$OUT/kpi-times.txt"
jcmd $PID JFR.stop name=kpi >/dev/null
sort -k2 -n "$OUT/kpi-times.txt" | awk '{t[NR]=$2} END {printf "kpi n=%d p50=%.3f s p95=%.3f s max=%.3f s\n", NR, t[int(NR*0.5)], t[int(NR*0.95)], t[NR]}' | tee "$OUT/kpi.txt"
uptime | tee -a "$OUT/kpi.txt"

jcmd $PID JFR.start name=verify settings=profile filename=$OUT/verify.jfr >/dev/null
for i in 1 2 3; do curl -s -H "$H" -w " %{time_total}\n" -XPOST $B/api/audit/verifications -H 'Content-Type: application/json' \
  -d '{"kpi":"summary","from":"2025-01-01","to":"2026-01-01","currency":"EUR"}' | tail -c 300; done | tee "$OUT/verify.txt"
jcmd $PID JFR.stop name=verify >/dev/null; uptime | tee -a "$OUT/verify.txt"

jcmd $PID JFR.start name=rebuild settings=profile filename=$OUT/rebuild.jfr >/dev/null
start=$(date +%s.%N)
curl -s -H "$H" -XPOST $B/api/admin/projections/funnel/rebuild; echo
sleep 1
while curl -s -H "$H" $B/api/admin/projections | grep -q REBUILDING; do sleep 0.5; done
end=$(date +%s.%N)
jcmd $PID JFR.stop name=rebuild >/dev/null
echo "funnel rebuild: $(events) events in $(echo "$end - $start" | bc) s" | tee "$OUT/rebuild.txt"
curl -s -H "$H" $B/api/admin/projections | tee -a "$OUT/rebuild.txt"; echo; uptime | tee -a "$OUT/rebuild.txt"
grep VmHWM /proc/$PID/status | tee -a "$OUT/rebuild.txt"
kill $PID; wait $PID || true
for f in ingest kpi verify rebuild; do python3 docs/jfr-top.py "$OUT/$f.jfr" 25 > "$OUT/$f-top.txt"; done
echo "done: $OUT"
