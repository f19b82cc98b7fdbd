-- Axon's event store, snapshot and token tables, owned by Flyway so that H2 and PostgreSQL get the same schema
-- (Axon's own DDL factories fail on H2 2.x). Unquoted names: PostgreSQL folds them to lower case, H2 to upper case,
-- and Axon's unquoted SQL finds them either way. BYTEA is understood by both.

CREATE TABLE DomainEventEntry (
    globalIndex         BIGSERIAL    NOT NULL,
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    eventIdentifier     VARCHAR(255) NOT NULL,
    metaData            BYTEA,
    payload             BYTEA        NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    CONSTRAINT pk_domain_event PRIMARY KEY (globalIndex),
    -- the optimistic lock of event sourcing: two writers appending the same sequence number collide here
    CONSTRAINT uq_domain_event_aggregate_sequence UNIQUE (aggregateIdentifier, sequenceNumber),
    CONSTRAINT uq_domain_event_identifier UNIQUE (eventIdentifier)
);

-- "as known at" reads and createTokenAt search by recorded time
CREATE INDEX ix_domain_event_timestamp ON DomainEventEntry (timeStamp);

CREATE TABLE SnapshotEventEntry (
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255) NOT NULL,
    eventIdentifier     VARCHAR(255) NOT NULL,
    metaData            BYTEA,
    payload             BYTEA        NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    CONSTRAINT pk_snapshot_event PRIMARY KEY (aggregateIdentifier, sequenceNumber),
    CONSTRAINT uq_snapshot_event_identifier UNIQUE (eventIdentifier)
);

CREATE TABLE TokenEntry (
    processorName VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         BYTEA,
    tokenType     VARCHAR(255),
    timestamp     VARCHAR(255),
    owner         VARCHAR(255),
    CONSTRAINT pk_token_entry PRIMARY KEY (processorName, segment)
);
