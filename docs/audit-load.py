# Loads about 3,000 events of 2025 (8 campaigns, 1,200 leads, 600 spend lines) into a running KPI Ledger, 8 at a time.
# Usage: python3 docs/audit-load.py [port]   (then bash docs/sample-month.sh, then follow docs/audit.md)
# Credentials (docs/security.md): the local user crm of dev mode, or a bearer token in KPI_LEDGER_TOKEN.
import base64, json, os, random, sys, http.client, concurrent.futures
random.seed(7)
B = ("localhost", int(sys.argv[1]) if len(sys.argv) > 1 else 8080)
AUTH = ("Bearer " + os.environ["KPI_LEDGER_TOKEN"] if os.environ.get("KPI_LEDGER_TOKEN")
        else "Basic " + base64.b64encode(b"crm:crm").decode())
def post(path, body):
    c = http.client.HTTPConnection(*B, timeout=30)
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json", "Authorization": AUTH})
    r = c.getresponse(); r.read(); c.close(); return r.status
camps = [f"gen-c{i}" for i in range(8)]
for i, c in enumerate(camps):
    post("/api/campaigns", {"campaignId": c, "name": c, "channel": ["paid-search","social","email","events"][i % 4], "currency": "EUR", "launchedOn": "2025-01-01"})
def lead(n):
    s = []
    c = camps[n % 8]; lid = f"gen-l{n}"; m = 1 + n % 12
    s.append(post("/api/leads", {"leadId": lid, "campaignId": c, "capturedAt": f"2025-{m:02d}-05T10:00:00Z"}))
    if n % 2 == 0: s.append(post(f"/api/leads/{lid}/qualifications", {"stage": "MQL", "qualifiedAt": f"2025-{m:02d}-10T10:00:00Z"}))
    if n % 4 == 0: s.append(post(f"/api/leads/{lid}/qualifications", {"stage": "SQL", "qualifiedAt": f"2025-{m:02d}-15T10:00:00Z"}))
    if n % 8 == 0: s.append(post(f"/api/leads/{lid}/deals", {"dealId": "d1", "outcome": "WON", "amount": 1000 + n, "currency": "EUR", "grossMargin": 0.3, "closedAt": f"2025-{m:02d}-20T10:00:00Z"}))
    if n % 10 == 3: s.append(post(f"/api/leads/{lid}/disqualifications", {"reason": "no fit", "disqualifiedAt": f"2025-{m:02d}-21T10:00:00Z"}))
    return s
def spend(n):
    c = camps[n % 8]; m = 1 + n % 12
    return [post(f"/api/campaigns/{c}/spend", {"spendId": f"s{n}", "amount": 100 + n % 50, "currency": "EUR", "spentOn": f"2025-{m:02d}-{1 + n % 27:02d}", "costType": ["MEDIA","CONTENT","SALES","AGENCY"][n % 4]})]
with concurrent.futures.ThreadPoolExecutor(8) as ex:
    res = list(ex.map(lead, range(1200))) + list(ex.map(spend, range(600)))
codes = {}
for r in res:
    for s in r: codes[s] = codes.get(s, 0) + 1
print(codes)
