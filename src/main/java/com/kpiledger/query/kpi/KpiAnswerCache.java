package com.kpiledger.query.kpi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * KPI answers already given, by question and store position. An answer is a function of the question and of the
 * events up to its position, so once no event at or below that position can still arrive (see
 * {@link com.kpiledger.query.ReadModelStatus#settledPosition()}) it never changes, and asking again — a dashboard
 * refreshed, an audit question "as known at" a past moment — need not compute it again. The most recently used answers
 * are kept, up to {@code kpi-ledger.kpi-answers.cached} (0: none).
 */
@Singleton
public class KpiAnswerCache {

    @ConfigProperty(name = "kpi-ledger.kpi-answers.cached", defaultValue = "32")
    int capacity;

    @Inject
    MeterRegistry registry;

    private Map<Key, Object> answers;
    private Counter hits;
    private Counter misses;
    private Counter uncacheable;

    private record Key(Object question, long position) {
    }

    @PostConstruct
    void init() {
        answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
                return size() > capacity;
            }
        };
        String description = "KPI answers asked (summary, monthly, funnel), by whether a kept answer served them";
        hits = Counter.builder("kpi_ledger.kpi_answers").description(description).tag("cache", "hit").register(registry);
        misses = Counter.builder("kpi_ledger.kpi_answers").description(description).tag("cache", "miss").register(registry);
        uncacheable = Counter.builder("kpi_ledger.kpi_answers").description(description).tag("cache", "unsettled")
                .register(registry);
    }

    /**
     * The answer to {@code question} at {@code position}: a kept one, else {@code compute}'s, kept when
     * {@code settled} (no event at or below the position can still arrive) and not asked to be computed afresh.
     */
    <T> T answer(Object question, long position, boolean settled, boolean fresh, Supplier<T> compute) {
        if (!settled || capacity <= 0) {
            uncacheable.increment();
            return compute.get();
        }
        Key key = new Key(question, position);
        if (!fresh) {
            Object kept;
            synchronized (this) {
                kept = answers.get(key);
            }
            if (kept != null) {
                hits.increment();
                @SuppressWarnings("unchecked")
                T answer = (T) kept;
                return answer;
            }
        }
        misses.increment();
        T answer = compute.get();
        synchronized (this) {
            answers.put(key, answer);
        }
        return answer;
    }

    /** Forgets every answer (a read model reset for a rebuild). */
    public synchronized void clear() {
        answers.clear();
    }
}
