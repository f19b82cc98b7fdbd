-- processing group "spend": the spend facts summed per campaign, cost type, currency, month spent and month recorded
-- (UTC), kept with kpi_spend_fact in the same transaction, so that a year's spend is read from a few rows per campaign
-- instead of one per spend line (issue 8).
--
-- A row is used only for a month wholly inside the period, and only when all its facts are within the cut: recorded
-- before the month of "as known at", at positions up to the answer's (max_position). The rest is summed from the facts.
CREATE TABLE kpi_spend_month (
    campaign_id    VARCHAR(64)   NOT NULL,
    cost_type      VARCHAR(16)   NOT NULL,
    currency       VARCHAR(3)    NOT NULL,
    spent_month    DATE          NOT NULL,
    recorded_month DATE          NOT NULL,
    amount         NUMERIC(24,4) NOT NULL,
    facts          INTEGER       NOT NULL,
    max_position   BIGINT        NOT NULL,
    applied_by     VARCHAR(255),
    CONSTRAINT pk_kpi_spend_month PRIMARY KEY (campaign_id, cost_type, currency, spent_month, recorded_month)
);
-- the facts of the month of "as known at", summed from the facts
CREATE INDEX ix_kpi_spend_fact_recorded ON kpi_spend_fact (recorded_at);

-- Deployments at V6 already hold the spend facts: sum them, exactly what the projection would have written had it kept
-- the table from the start (a rebuild of the spend read model writes the same rows).
INSERT INTO kpi_spend_month (campaign_id, cost_type, currency, spent_month, recorded_month, amount, facts,
                             max_position, applied_by)
SELECT f.campaign_id, f.cost_type, f.currency, f.spent_month, f.recorded_month, SUM(f.amount_delta), COUNT(*),
       MAX(f.position), 'flyway'
FROM (SELECT campaign_id, cost_type, currency, amount_delta, position,
             CAST(DATE_TRUNC('MONTH', CAST(spent_on AS TIMESTAMP)) AS DATE) AS spent_month,
             CAST(DATE_TRUNC('MONTH', recorded_at AT TIME ZONE 'UTC') AS DATE) AS recorded_month
      FROM kpi_spend_fact) f
GROUP BY f.campaign_id, f.cost_type, f.currency, f.spent_month, f.recorded_month;

-- processing group "funnel": the pairs (lead, stage) with a single entry, counted per attribution, stage, month entered
-- and month recorded (UTC), kept with kpi_first_entry in the same transaction (issue 8). A pair is counted while its
-- kpi_first_entry row has one entry; pairs with several are grouped from their entries, as before. Rows are used only
-- for months wholly inside the period, recorded before the month of "as known at", and only when no row read has a
-- max_position beyond the answer's. A missing campaign or channel is stored as '' (key columns cannot be null).
CREATE TABLE kpi_stage_month (
    campaign_key   VARCHAR(64)  NOT NULL,
    channel_key    VARCHAR(64)  NOT NULL,
    stage          VARCHAR(16)  NOT NULL,
    entered_month  DATE         NOT NULL,
    recorded_month DATE         NOT NULL,
    pairs          BIGINT       NOT NULL,
    implied        BIGINT       NOT NULL,
    max_position   BIGINT       NOT NULL,
    applied_by     VARCHAR(255),
    CONSTRAINT pk_kpi_stage_month PRIMARY KEY (campaign_key, channel_key, stage, entered_month, recorded_month)
);
-- the single-entry pairs of the partial months at a period's edges, and those recorded in the month of "as known at"
CREATE INDEX ix_kpi_first_entry_entered ON kpi_first_entry (entered_at);
CREATE INDEX ix_kpi_first_entry_recorded ON kpi_first_entry (recorded_at);

INSERT INTO kpi_stage_month (campaign_key, channel_key, stage, entered_month, recorded_month, pairs, implied,
                             max_position, applied_by)
SELECT p.campaign_key, p.channel_key, p.stage, p.entered_month, p.recorded_month, COUNT(*),
       SUM(CASE WHEN p.first_reported_at IS NULL OR p.first_reported_at > p.entered_at THEN 1 ELSE 0 END),
       MAX(p.position), 'flyway'
FROM (SELECT COALESCE(campaign_id, '') AS campaign_key, COALESCE(lead_channel, '') AS channel_key, stage, entered_at,
             first_reported_at, position,
             CAST(DATE_TRUNC('MONTH', entered_at AT TIME ZONE 'UTC') AS DATE) AS entered_month,
             CAST(DATE_TRUNC('MONTH', recorded_at AT TIME ZONE 'UTC') AS DATE) AS recorded_month
      FROM kpi_first_entry WHERE entries = 1) p
GROUP BY p.campaign_key, p.channel_key, p.stage, p.entered_month, p.recorded_month;
