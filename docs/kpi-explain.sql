-- EXPLAIN ANALYZE of the read-model queries KpiReadModel issues for GET /api/kpis/summary (the year 2025, EUR,
-- no knownAt), written as the SQL Hibernate sends for them (HQL in KpiReadModel.firstEntries, newCustomers,
-- sqlTimings, spend; :position = the head). Run: psql -h localhost -p 5433 -U kpi_ledger -d kpi_prof -f docs/kpi-explain.sql
\set from '''2025-01-01T00:00:00Z'''
\set to '''2026-01-01T00:00:00Z'''
SELECT max(globalindex) AS head FROM domainevententry \gset
\echo firstEntries
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT e.lead_id, e.campaign_id, e.lead_channel, e.stage, min(e.entered_at),
       min(CASE WHEN e.implied = false THEN e.entered_at ELSE NULL END)
FROM kpi_stage_entry e WHERE 1 = 1 AND e.position <= :head
GROUP BY e.lead_id, e.campaign_id, e.lead_channel, e.stage
HAVING min(e.entered_at) >= :from AND min(e.entered_at) < :to;
\echo newCustomers
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT d.lead_id, d.campaign_id, d.lead_channel, sum(d.amount * d.gross_margin)
FROM kpi_deal d WHERE d.outcome = 'WON' AND d.currency = 'EUR' AND d.position <= :head
  AND d.lead_id IN (SELECT s.lead_id FROM kpi_stage_entry s WHERE s.stage = 'CUSTOMER' AND s.position <= :head
                    GROUP BY s.lead_id HAVING min(s.entered_at) >= :from AND min(s.entered_at) < :to)
GROUP BY d.lead_id, d.campaign_id, d.lead_channel;
\echo sqlTimings
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT e.lead_id, e.campaign_id, e.lead_channel, e.stage, min(e.entered_at)
FROM kpi_stage_entry e WHERE e.stage IN ('MQL', 'SQL') AND e.position <= :head
  AND e.lead_id IN (SELECT s.lead_id FROM kpi_stage_entry s WHERE s.stage = 'SQL' AND s.position <= :head
                    GROUP BY s.lead_id HAVING min(s.entered_at) >= :from AND min(s.entered_at) < :to)
GROUP BY e.lead_id, e.campaign_id, e.lead_channel, e.stage;
\echo spend
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT f.campaign_id, f.cost_type, sum(f.amount_delta) FROM kpi_spend_fact f
WHERE f.spent_on >= '2025-01-01' AND f.spent_on < '2026-01-01' AND f.currency = 'EUR' AND f.position <= :head
GROUP BY f.campaign_id, f.cost_type;
