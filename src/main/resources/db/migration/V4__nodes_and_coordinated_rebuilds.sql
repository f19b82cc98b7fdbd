-- Several nodes on one database. Each node says it is alive here (every second), so that the nodes can share the
-- read models' segments fairly; a node whose heartbeat is older than the token claim timeout is taken for dead.
CREATE TABLE kpi_node (
    node_id    VARCHAR(255)             NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_kpi_node PRIMARY KEY (node_id)
);

-- A rebuild asked of any node is carried out by all of them: each node stops its processor of the read model while
-- the phase is STOPPING, one node resets the tokens (which empties the tables) and sets REPLAYING, every node starts
-- again, and the first to see the read model caught up with target_position sets DONE. generation counts rebuilds.
CREATE TABLE read_model_rebuild (
    read_model      VARCHAR(64)              NOT NULL,
    generation      BIGINT                   NOT NULL,
    phase           VARCHAR(16)              NOT NULL,
    target_position BIGINT                   NOT NULL,
    requested_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    requested_by    VARCHAR(255)             NOT NULL,
    reset_by        VARCHAR(255),
    CONSTRAINT pk_read_model_rebuild PRIMARY KEY (read_model),
    CONSTRAINT ck_read_model_rebuild_phase CHECK (phase IN ('STOPPING', 'REPLAYING', 'DONE'))
);
INSERT INTO read_model_rebuild (read_model, generation, phase, target_position, requested_at, requested_by)
VALUES ('spend', 0, 'DONE', -1, CURRENT_TIMESTAMP, 'flyway');
INSERT INTO read_model_rebuild (read_model, generation, phase, target_position, requested_at, requested_by)
VALUES ('funnel', 0, 'DONE', -1, CURRENT_TIMESTAMP, 'flyway');

-- Which node projected each row: with the segments shared between nodes, an operator (and the multi-node test) can
-- see who applied what. Rows from before this column have none.
ALTER TABLE kpi_campaign ADD COLUMN applied_by VARCHAR(255);
ALTER TABLE kpi_spend_fact ADD COLUMN applied_by VARCHAR(255);
ALTER TABLE kpi_lead ADD COLUMN applied_by VARCHAR(255);
ALTER TABLE kpi_stage_entry ADD COLUMN applied_by VARCHAR(255);
ALTER TABLE kpi_disqualification ADD COLUMN applied_by VARCHAR(255);
ALTER TABLE kpi_deal ADD COLUMN applied_by VARCHAR(255);
