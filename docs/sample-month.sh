#!/usr/bin/env bash
# A month of sample facts (March 2026, with a little of February) for trying the KPI queries.
#
#   bash docs/sample-month.sh [base-url]        # default http://localhost:8080
#
# It extends the README walk-through (which it repeats first, so it can run on its own): a second campaign on
# another channel, more spend including a SALES cost line and one correction, twelve leads (one organic), MQL and SQL
# qualifications (one SQL without MQL), one disqualification, WON and LOST deals including a cross-sell.
# docs/kpis.md calculates every March KPI of this data by hand.
#
# Safe to run again: every command carries the same ids and facts, so a second run answers 200 UNCHANGED and stores
# nothing. It needs only bash, curl and GNU date; it prints one line per command: status, path, answer.
# At the end it prints KNOWN_BEFORE_CORRECTION, a moment after every other fact and before the spend correction:
# query with knownAt=<that moment> to see the figures as they were before the correction.
set -uo pipefail

B=${1:-http://localhost:8080}
# credentials (docs/security.md): the local users of dev mode (CRM_USER / AUDITOR_USER as name:password), or for a
# production node a bearer token with the crm and auditor roles: KPI_LEDGER_TOKEN=$(bash docs/make-token.sh)
if [ -n "${KPI_LEDGER_TOKEN:-}" ]; then
    CRM_AUTH=(-H "Authorization: Bearer $KPI_LEDGER_TOKEN")
    AUDITOR_AUTH=("${CRM_AUTH[@]}")
else
    CRM_AUTH=(-u "${CRM_USER:-crm:crm}")
    AUDITOR_AUTH=(-u "${AUDITOR_USER:-auditor:auditor}")
fi
failures=0
last_answer=

# post PATH JSON: sends one command and prints "status  path  answer"
post() {
    local path=$1 body=$2 response status
    response=$(curl -sS "${CRM_AUTH[@]}" -X POST "$B$path" -H 'Content-Type: application/json' -H 'X-Source-System: sample-month' \
        -d "$body" -w '\n%{http_code}') || { echo "cannot reach $B" >&2; exit 2; }
    status=${response##*$'\n'}
    last_answer=${response%$'\n'*}
    printf '%s  %-54s %s\n' "$status" "$path" "$last_answer"
    case $status in 200|201) ;; *) failures=$((failures + 1)) ;; esac
}

campaign() { post /api/campaigns "{\"campaignId\":\"$1\",\"name\":\"$2\",\"channel\":\"$3\",\"currency\":\"EUR\",\"launchedOn\":\"$4\"}"; }
spend()    { post "/api/campaigns/$1/spend" "{\"spendId\":\"$2\",\"amount\":$3,\"currency\":\"EUR\",\"spentOn\":\"$4\",\"costType\":\"$5\"}"; }
lead()     { post /api/leads "{\"leadId\":\"$1\",\"campaignId\":\"$2\",\"capturedAt\":\"$3\"}"; }
organic()  { post /api/leads "{\"leadId\":\"$1\",\"channel\":\"$2\",\"capturedAt\":\"$3\"}"; }
qualify()  { post "/api/leads/$1/qualifications" "{\"stage\":\"$2\",\"qualifiedAt\":\"$3\"}"; }
deal()     { post "/api/leads/$1/deals" "{\"dealId\":\"$2\",\"outcome\":\"$3\",\"amount\":$4,\"currency\":\"EUR\",\"grossMargin\":$5,\"closedAt\":\"$6\"}"; }

echo "== the README walk-through"
campaign spring-26 "Spring launch" paid-search 2026-03-01
spend spring-26 inv-1001 1000.00 2026-03-02 MEDIA
lead lead-1 spring-26 2026-03-03T10:00:00Z
qualify lead-1 SQL 2026-03-05T10:00:00Z                          # SQL without MQL: MQL implied at the same time
deal lead-1 deal-1 WON 200000 0.35 2026-03-20T10:00:00Z

echo "== February: the newsletter campaign starts"
campaign newsletter-26 "Newsletter 2026" Email 2026-02-01          # channel stored as "email"
spend newsletter-26 nl-2602-esp 450.00 2026-02-01 TOOLING
spend newsletter-26 nl-2602-issue 300.00 2026-02-05 CONTENT
lead lead-2 newsletter-26 2026-02-10T09:00:00Z
qualify lead-2 MQL 2026-02-18T09:00:00Z
lead lead-3 newsletter-26 2026-02-20T14:00:00Z
qualify lead-3 MQL 2026-02-25T14:00:00Z

echo "== March spend"
spend spring-26 inv-1011 2400.00 2026-03-16 MEDIA                    # corrected to 2150.00 at the end
spend spring-26 inv-1012 1500.00 2026-03-25 SALES                    # sales cost: only in fully loaded CAC
spend newsletter-26 nl-2603-esp 450.00 2026-03-01 TOOLING
spend newsletter-26 nl-2603-issue 800.00 2026-03-12 CONTENT
spend newsletter-26 nl-2603-sponsor 500.00 2026-03-20 MEDIA
spend newsletter-26 nl-2604-esp 450.00 2026-04-01 TOOLING             # April: outside March

echo "== March leads and their way through the funnel"
qualify lead-2 SQL 2026-03-04T09:00:00Z                            # February's MQL becomes an SQL in March
deal lead-2 deal-2 WON 40000 0.50 2026-03-18T15:00:00Z
lead lead-4 spring-26 2026-03-04T08:30:00Z
qualify lead-4 MQL 2026-03-06T08:30:00Z
qualify lead-4 SQL 2026-03-11T14:30:00Z
deal lead-4 deal-4 WON 60000 0.30 2026-03-26T10:00:00Z
lead lead-5 spring-26 2026-03-06T11:00:00Z
qualify lead-5 MQL 2026-03-09T11:00:00Z
qualify lead-5 SQL 2026-03-13T11:00:00Z
deal lead-5 deal-5 LOST 80000 0.30 2026-03-30T16:00:00Z
lead lead-6 spring-26 2026-03-09T15:00:00Z
qualify lead-6 MQL 2026-03-12T15:00:00Z
post /api/leads/lead-6/disqualifications '{"reason":"no budget this year","disqualifiedAt":"2026-03-19T15:00:00Z"}'
lead lead-7 spring-26 2026-03-17T09:00:00Z
lead lead-8 spring-26 2026-04-01T00:30:00+02:00                   # = 2026-03-31T22:30Z: March in UTC
lead lead-9 newsletter-26 2026-03-05T07:00:00Z
qualify lead-9 MQL 2026-03-10T07:00:00Z
deal lead-9 deal-9 WON 12000 0.50 2026-03-25T07:00:00Z               # closes from MQL: SQL implied at the close
lead lead-10 newsletter-26 2026-03-12T12:00:00Z
lead lead-11 newsletter-26 2026-03-24T12:00:00Z
organic lead-12 events 2026-03-11T16:00:00Z                        # organic: no campaign, its own channel
qualify lead-12 MQL 2026-03-13T10:00:00Z
qualify lead-12 SQL 2026-03-17T16:00:00Z
deal lead-12 deal-12 WON 30000 0.40 2026-03-28T11:00:00Z

echo "== cross-sell: lead-1 buys twice more (LTV 70,000 + 60,000 + 48,000 = 178,000)"
deal lead-1 deal-1b WON 150000 0.40 2026-03-27T10:00:00Z
deal lead-1 deal-1c WON 160000 0.30 2026-04-08T10:00:00Z             # April: in LTV, not in March revenue

echo "== spring-26 ends; a late agency invoice for it still arrives"
post /api/campaigns/spring-26/end '{"endedOn":"2026-03-31"}'
spend spring-26 inv-1010 600.00 2026-03-10 AGENCY

echo "== a credit note corrects inv-1011 from 2400.00 to 2150.00 (recorded last)"
known_before_correction=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
sleep 0.1   # the store keeps milliseconds: keep the correction's recorded time clear of the moment taken
post /api/campaigns/spring-26/spend/inv-1011/corrections '{"amount":2150.00,"reason":"credit note CN-88: invalid clicks refunded"}'
if [[ $last_answer == *'"UNCHANGED"'* ]]; then
    # a re-run: the correction was recorded by an earlier run, so take the moment 1 ms before its recorded time
    recorded=$(curl -sS "${AUDITOR_AUTH[@]}" "$B/api/campaigns/spring-26/history" \
        | grep -o '"type":"SpendCorrectedEvent","businessTime":"[^"]*","recordedAt":"[^"]*"' | head -n 1 \
        | sed 's/.*"recordedAt":"\([^"]*\)"/\1/')
    if [[ -n $recorded ]]; then
        ms=$(( $(date -u -d "$recorded" +%s%3N) - 1 ))
        known_before_correction=$(date -u -d "@$((ms / 1000)).$(printf '%03d' $((ms % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ)
    fi
fi

echo
echo "KNOWN_BEFORE_CORRECTION=$known_before_correction"
echo "  e.g. curl -s -u analyst:analyst '$B/api/kpis/summary?from=2026-03-01&to=2026-04-01&knownAt=$known_before_correction'"
if (( failures > 0 )); then
    echo "$failures command(s) were refused (see the status column)" >&2
    exit 1
fi
