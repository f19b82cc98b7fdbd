-- KPI figures published by auditors: the question, the answer as published, the store position and definition
-- version it was computed at, and the SHA-256 digest of the events it was recomputed from. Re-verifying folds the
-- raw events again up to that position and must give the identical answer.
CREATE TABLE kpi_published_snapshot (
    snapshot_id        VARCHAR(36)              NOT NULL,
    kpi                VARCHAR(16)              NOT NULL,
    question           VARCHAR(100000)          NOT NULL,
    answer             VARCHAR(1000000)         NOT NULL,
    position           BIGINT                   NOT NULL,
    definition_version VARCHAR(64)              NOT NULL,
    digest             VARCHAR(64)              NOT NULL,
    events_read        BIGINT                   NOT NULL,
    published_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    note               VARCHAR(500),
    CONSTRAINT pk_kpi_published_snapshot PRIMARY KEY (snapshot_id)
);
