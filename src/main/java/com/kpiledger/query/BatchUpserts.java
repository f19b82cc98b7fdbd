package com.kpiledger.query;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Changes to a read model's summary rows (sums and counts per month), summed per row over a processor's batch and
 * written when the batch commits: one upsert per row, all in one JDBC batch, in key order. No row is loaded into the
 * persistence context, and locks on rows that several segments share are taken last and in one order, so two batches
 * may wait for each other but never deadlock. Outside a batch (an event handled on its own) a change is written at once.
 *
 * @param <K> a row's key, ordered as the rows are written
 * @param <C> what a batch changes in one row
 */
public final class BatchUpserts<K extends Comparable<K>, C> {

    /** Sets a statement's parameters for one row's change. */
    @FunctionalInterface
    public interface Binder<K, C> {
        void bind(PreparedStatement statement, K key, C change) throws SQLException;
    }

    /** The embedded database's single writer of summary rows (see {@link #holdTheEmbeddedWriterUntilTheTransactionEnds}). */
    private static final Semaphore EMBEDDED_WRITER = new Semaphore(1);

    private final String resourceName;
    private final String postgresUpsert;
    private final String standardUpsert;
    private final Supplier<C> noChange;
    private final Binder<K, C> binder;

    /**
     * @param postgresUpsert the statement on PostgreSQL ({@code INSERT … ON CONFLICT … DO UPDATE}, which also settles
     *                       two batches inserting the same new row)
     * @param standardUpsert the statement elsewhere (H2, the embedded default: the standard {@code MERGE})
     */
    public BatchUpserts(String resourceName, String postgresUpsert, String standardUpsert, Supplier<C> noChange,
                        Binder<K, C> binder) {
        this.resourceName = BatchUpserts.class.getName() + "/" + resourceName;
        this.postgresUpsert = postgresUpsert;
        this.standardUpsert = standardUpsert;
        this.noChange = noChange;
        this.binder = binder;
    }

    /** Adds to the change of the row {@code key}. */
    public void change(K key, Consumer<C> change) {
        Map<K, C> changes = batchChanges();
        if (changes == null) {
            Map<K, C> single = new TreeMap<>();
            change.accept(single.computeIfAbsent(key, k -> noChange.get()));
            write(single);
        } else {
            change.accept(changes.computeIfAbsent(key, k -> noChange.get()));
        }
    }

    /** The batch's changes, written when it commits; null when events are handled one by one. */
    private Map<K, C> batchChanges() {
        if (!CurrentUnitOfWork.isStarted()
                || !(CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> batch)) {
            return null;
        }
        return batch.getOrComputeResource(resourceName, name -> {
            Map<K, C> changes = new TreeMap<>();
            batch.onPrepareCommit(unitOfWork -> write(changes));
            return changes;
        });
    }

    private void write(Map<K, C> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Panache.getEntityManager().unwrap(Session.class).doWork(connection -> {
            boolean postgres = isPostgres(connection);
            if (!postgres) {
                holdTheEmbeddedWriterUntilTheTransactionEnds();
            }
            try (PreparedStatement upsert = connection.prepareStatement(postgres ? postgresUpsert : standardUpsert)) {
                for (Map.Entry<K, C> entry : changes.entrySet()) {
                    binder.bind(upsert, entry.getKey(), entry.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    /**
     * On the embedded database, one transaction at a time writes summary rows, from its first upsert until it ends.
     * PostgreSQL's upsert waits for another transaction inserting the same new row and then updates it; H2's MERGE
     * fails instead (a unique-key violation that rolls back the whole batch, seen when two funnel segments first counted
     * a campaign's month at once). The embedded database belongs to one process, so a lock in this JVM suffices.
     */
    private static void holdTheEmbeddedWriterUntilTheTransactionEnds() {
        TransactionSynchronizationRegistry transaction = Arc.container()
                .instance(TransactionSynchronizationRegistry.class).get();
        if (transaction.getResource(EMBEDDED_WRITER) != null) {
            return;
        }
        EMBEDDED_WRITER.acquireUninterruptibly();
        try {
            transaction.putResource(EMBEDDED_WRITER, Boolean.TRUE);
            transaction.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    EMBEDDED_WRITER.release();
                }
            });
        } catch (RuntimeException noTransaction) {
            EMBEDDED_WRITER.release();
            throw noTransaction;
        }
    }
}
