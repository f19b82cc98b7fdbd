-- Axon's dead-letter queue for the read models' processors (JdbcSequencedDeadLetterQueue, default DeadLetterSchema).
-- Written here rather than by Axon's GenericDeadLetterTableFactory, whose BLOB columns PostgreSQL lacks. Same rules as
-- V1: unquoted names, BYTEA for serialized data (H2 and PostgreSQL both know it), instants as ISO-8601 text, as Axon
-- writes them. Constraint and index names are prefixed, because PostgreSQL wants them unique per schema.

CREATE TABLE DeadLetterEntry (
    deadLetterIdentifier VARCHAR(255)  NOT NULL,
    processingGroup      VARCHAR(255)  NOT NULL,
    -- the sequence a letter belongs to: the aggregate identifier (per-aggregate sequencing policy)
    sequenceIdentifier   VARCHAR(255)  NOT NULL,
    sequenceIndex        BIGINT        NOT NULL,
    messageType          VARCHAR(255)  NOT NULL,
    eventIdentifier      VARCHAR(255)  NOT NULL,
    timestamp            VARCHAR(255)  NOT NULL,
    payloadType          VARCHAR(255)  NOT NULL,
    payloadRevision      VARCHAR(255),
    payload              BYTEA         NOT NULL,
    metaData             BYTEA,
    type                 VARCHAR(255),
    aggregateIdentifier  VARCHAR(255),
    sequenceNumber       BIGINT,
    tokenType            VARCHAR(255),
    token                BYTEA,
    enqueuedAt           VARCHAR(255)  NOT NULL,
    lastTouched          VARCHAR(255),
    processingStarted    VARCHAR(255),
    causeType            VARCHAR(255),
    causeMessage         VARCHAR(1023),
    diagnostics          BYTEA,
    CONSTRAINT pk_dead_letter PRIMARY KEY (deadLetterIdentifier),
    CONSTRAINT uq_dead_letter_sequence_index UNIQUE (processingGroup, sequenceIdentifier, sequenceIndex)
);

CREATE INDEX ix_dead_letter_processing_group ON DeadLetterEntry (processingGroup);
CREATE INDEX ix_dead_letter_sequence ON DeadLetterEntry (processingGroup, sequenceIdentifier);
