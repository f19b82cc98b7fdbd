-- processing group "funnel": one row per lead and stage, kept with kpi_stage_entry in the same transaction, so that the
-- KPI summary counts first entries without grouping every stage entry per lead (issue 8).
--
-- A pair with exactly one entry (nearly all of them) is that entry: under any cut (position, "as known at") it is
-- counted or not by its own clocks, which this row carries. A pair with several entries (late, restated facts) may have
-- another first entry under each cut, so its row only says "several" and the queries group its kpi_stage_entry rows,
-- as before. Both tables are written in one transaction and read in one statement, so the split is always consistent.
CREATE TABLE kpi_first_entry (
    lead_id           VARCHAR(64)              NOT NULL,
    stage             VARCHAR(16)              NOT NULL,
    campaign_id       VARCHAR(64),
    lead_channel      VARCHAR(64),
    -- the earliest entry and the earliest reported (not implied) one, over every entry applied
    entered_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    first_reported_at TIMESTAMP WITH TIME ZONE,
    -- how many kpi_stage_entry rows the pair has
    entries           INTEGER                  NOT NULL,
    -- the clocks of the entry when there is one; with several, the highest of each (then unused by the queries)
    position          BIGINT                   NOT NULL,
    recorded_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    applied_by        VARCHAR(255),
    CONSTRAINT pk_kpi_first_entry PRIMARY KEY (lead_id, stage)
);
-- the few pairs with several entries, looked up by the queries that read their entries
CREATE INDEX ix_kpi_first_entry_entries ON kpi_first_entry (entries);
-- the leads first entering one stage (customers) in a period
CREATE INDEX ix_kpi_first_entry_stage ON kpi_first_entry (stage, entered_at);

-- Deployments at V5 already hold the funnel's stage entries: derive the pairs from them, exactly what the projection
-- would have written had it kept the table from the start (a rebuild of the funnel writes the same rows).
INSERT INTO kpi_first_entry (lead_id, stage, campaign_id, lead_channel, entered_at, first_reported_at, entries,
                             position, recorded_at, applied_by)
SELECT e.lead_id, e.stage, MIN(e.campaign_id), MIN(e.lead_channel), MIN(e.entered_at),
       MIN(CASE WHEN e.implied = FALSE THEN e.entered_at ELSE NULL END), COUNT(*), MAX(e.position), MAX(e.recorded_at),
       'flyway'
FROM kpi_stage_entry e
GROUP BY e.lead_id, e.stage;

-- "as known at": the last store position recorded by an instant, read from the index alone (timeStamp, then
-- globalIndex) instead of the event rows; it serves every search by timeStamp the old index served.
CREATE INDEX ix_domain_event_timestamp_position ON DomainEventEntry (timeStamp, globalIndex);
DROP INDEX ix_domain_event_timestamp;
