package com.kpiledger.config;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps recently used aggregates in memory so that a command does not replay the aggregate's whole stream (a campaign
 * gets a spend event every day, so its stream is long), without ever deciding on a state older than the store's.
 *
 * <p>Several nodes append to one store, so an aggregate in memory may be behind: another node may have appended to its
 * stream since. Axon's unique key on (aggregate, sequence number) would refuse an event decided on such a state, but a
 * command that appends nothing (a retry answered UNCHANGED, a 409, a 404 for an unknown spend line) would be answered
 * from it. So an entry is used only when the store, as the asking transaction sees it, ends at the entry's sequence
 * number (one lookup on the unique index instead of reading the stream); otherwise it is dropped and Axon reads the
 * stream. Entries are put before their events are committed (Axon puts during prepare-commit) and a batch commits many
 * commands in one transaction, whose rollback would leave an aggregate holding events that were never stored; so an
 * entry put inside a transaction serves only that transaction until it commits, and is dropped if it rolls back.
 * The least recently used entry is dropped beyond {@code capacity}.
 */
final class StoreCheckedAggregateCache implements Cache {

    private final int capacity;
    private final TransactionSynchronizationRegistry transactions;
    private final Supplier<EventStorageEngine> store;
    private final Map<Object, Entry> entries;

    /** A cached aggregate; {@code pendingIn} is the key of the transaction that put it, null once committed. */
    private record Entry(Object value, Object pendingIn) {
    }

    StoreCheckedAggregateCache(int capacity, TransactionSynchronizationRegistry transactions,
                               Supplier<EventStorageEngine> store) {
        this.capacity = capacity;
        this.transactions = transactions;
        this.store = store;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Entry> eldest) {
                return size() > StoreCheckedAggregateCache.this.capacity;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Entry entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry == null) {
            return null;
        }
        if (entry.pendingIn() != null && !entry.pendingIn().equals(currentTransaction())) {
            // another transaction's work, maybe never committed: read the store instead
            return null;
        }
        Long version = versionOf(entry.value());
        Optional<Long> head = version == null ? Optional.empty() : store.get().lastSequenceNumberFor((String) key);
        if (head.isEmpty() || !head.get().equals(version)) {
            removeIfSame(key, entry);
            return null;
        }
        return (V) entry.value();
    }

    @Override
    public void put(Object key, Object value) {
        Object transaction = currentTransaction();
        if (transaction == null) {
            // nothing tells when or whether its events are stored: do not keep it
            remove(key);
            return;
        }
        Entry pending = new Entry(value, transaction);
        try {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    synchronized (entries) {
                        if (entries.get(key) == pending) {
                            if (status == Status.STATUS_COMMITTED) {
                                entries.put(key, new Entry(value, null));
                            } else {
                                entries.remove(key);
                            }
                        }
                    }
                }
            });
        } catch (RuntimeException rollbackOnlyOrEnding) {
            remove(key);
            return;
        }
        synchronized (entries) {
            entries.put(key, pending);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        synchronized (entries) {
            if (entries.containsKey(key)) {
                return false;
            }
        }
        put(key, value);
        return true;
    }

    @Override
    public boolean remove(Object key) {
        synchronized (entries) {
            return entries.remove(key) != null;
        }
    }

    @Override
    public void removeAll() {
        synchronized (entries) {
            entries.clear();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        synchronized (entries) {
            return entries.containsKey(key);
        }
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        // nothing listens to aggregate caches here
        return () -> true;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void removeIfSame(Object key, Entry entry) {
        synchronized (entries) {
            if (entries.get(key) == entry) {
                entries.remove(key);
            }
        }
    }

    private Object currentTransaction() {
        try {
            return transactions.getTransactionKey();
        } catch (RuntimeException noTransactionContext) {
            return null;
        }
    }

    /**
     * The sequence number of the aggregate's last event as held in memory (applied events included). Axon's in-memory
     * entry returns its live aggregate without using the arguments; anything else is not trusted.
     */
    private static Long versionOf(Object value) {
        if (value instanceof AggregateCacheEntry<?> cached) {
            try {
                EventSourcedAggregate<?> aggregate =
                        cached.recreateAggregate(null, null, null, NoSnapshotTriggerDefinition.INSTANCE);
                return aggregate == null ? null : aggregate.version();
            } catch (RuntimeException notInMemory) {
                return null;
            }
        }
        return null;
    }
}
