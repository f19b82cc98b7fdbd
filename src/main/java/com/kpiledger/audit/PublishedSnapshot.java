package com.kpiledger.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "kpi_published_snapshot")
public class PublishedSnapshot extends PanacheEntityBase {

    @Id
    @Column(name = "snapshot_id")
    public String snapshotId;
    public String kpi;
    public String question;
    public String answer;
    public long position;
    @Column(name = "definition_version")
    public String definitionVersion;
    public String digest;
    @Column(name = "events_read")
    public long eventsRead;
    @Column(name = "published_at")
    public Instant publishedAt;
    public String note;
}
