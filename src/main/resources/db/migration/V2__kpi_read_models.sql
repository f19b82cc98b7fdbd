-- KPI read models. Every row is a fact with both clocks: its business time (spent_on, entered_at, closed_at) and when
-- the store learned it (recorded_at = the event's timestamp, position = its global index). Corrections are new rows
-- (deltas), never overwrites, so "as known at" is a filter on recorded_at, answered from these tables.

CREATE SEQUENCE kpi_fact_seq START WITH 1 INCREMENT BY 50;

-- processing group "spend"
CREATE TABLE kpi_campaign (
    campaign_id VARCHAR(64)              NOT NULL,
    name        VARCHAR(200)             NOT NULL,
    channel     VARCHAR(64)              NOT NULL,
    currency    VARCHAR(3)               NOT NULL,
    launched_on DATE                     NOT NULL,
    ended_on    DATE,
    position    BIGINT                   NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_kpi_campaign PRIMARY KEY (campaign_id)
);

CREATE TABLE kpi_spend_fact (
    id           BIGINT                   NOT NULL,
    event_id     VARCHAR(64)              NOT NULL,
    campaign_id  VARCHAR(64)              NOT NULL,
    spend_id     VARCHAR(64)              NOT NULL,
    cost_type    VARCHAR(16)              NOT NULL,
    spent_on     DATE                     NOT NULL,
    -- the recorded amount, or for a correction the difference it makes: the latest amount known at T is the sum
    amount_delta NUMERIC(24, 4)           NOT NULL,
    currency     VARCHAR(3)               NOT NULL,
    correction   BOOLEAN                  NOT NULL,
    position     BIGINT                   NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_kpi_spend_fact PRIMARY KEY (id),
    CONSTRAINT uq_kpi_spend_fact_event UNIQUE (event_id)
);
CREATE INDEX ix_kpi_spend_fact_period ON kpi_spend_fact (spent_on, recorded_at);

-- processing group "funnel": leads, their stage entries, disqualifications and deals
CREATE TABLE kpi_lead (
    lead_id     VARCHAR(64)              NOT NULL,
    campaign_id VARCHAR(64),
    channel     VARCHAR(64),
    captured_at TIMESTAMP WITH TIME ZONE NOT NULL,
    position    BIGINT                   NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_kpi_lead PRIMARY KEY (lead_id)
);

CREATE TABLE kpi_stage_entry (
    id           BIGINT                   NOT NULL,
    event_id     VARCHAR(64)              NOT NULL,
    lead_id      VARCHAR(64)              NOT NULL,
    -- the lead's attribution, copied from its capture so that queries need no join
    campaign_id  VARCHAR(64),
    lead_channel VARCHAR(64),
    stage        VARCHAR(16)              NOT NULL,
    entered_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    implied      BOOLEAN                  NOT NULL,
    position     BIGINT                   NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_kpi_stage_entry PRIMARY KEY (id),
    CONSTRAINT uq_kpi_stage_entry_event UNIQUE (event_id, stage)
);
CREATE INDEX ix_kpi_stage_entry_lead ON kpi_stage_entry (lead_id, stage);
CREATE INDEX ix_kpi_stage_entry_stage ON kpi_stage_entry (stage, entered_at);

CREATE TABLE kpi_disqualification (
    id              BIGINT                   NOT NULL,
    event_id        VARCHAR(64)              NOT NULL,
    lead_id         VARCHAR(64)              NOT NULL,
    campaign_id     VARCHAR(64),
    lead_channel    VARCHAR(64),
    reason          VARCHAR(500)             NOT NULL,
    disqualified_at TIMESTAMP WITH TIME ZONE NOT NULL,
    position        BIGINT                   NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_kpi_disqualification PRIMARY KEY (id),
    CONSTRAINT uq_kpi_disqualification_event UNIQUE (event_id)
);
CREATE INDEX ix_kpi_disqualification_at ON kpi_disqualification (disqualified_at);

CREATE TABLE kpi_deal (
    id           BIGINT                   NOT NULL,
    event_id     VARCHAR(64)              NOT NULL,
    lead_id      VARCHAR(64)              NOT NULL,
    campaign_id  VARCHAR(64),
    lead_channel VARCHAR(64),
    deal_id      VARCHAR(64)              NOT NULL,
    outcome      VARCHAR(8)               NOT NULL,
    amount       NUMERIC(24, 4)           NOT NULL,
    currency     VARCHAR(3)               NOT NULL,
    gross_margin NUMERIC(10, 6)           NOT NULL,
    closed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    position     BIGINT                   NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_kpi_deal PRIMARY KEY (id),
    CONSTRAINT uq_kpi_deal_event UNIQUE (event_id)
);
CREATE INDEX ix_kpi_deal_lead ON kpi_deal (lead_id);
CREATE INDEX ix_kpi_deal_closed ON kpi_deal (closed_at);
