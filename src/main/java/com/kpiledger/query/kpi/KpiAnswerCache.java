package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.kpi.KpiBreakdownView;
import com.kpiledger.coreapi.kpi.MonthlyKpisView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * KPI answers already given, by question and store position. An answer is a function of the question and of the
 * events up to its position, so once no event at or below that position can still arrive (see
 * {@link com.kpiledger.query.ReadModelStatus#progress()}) it never changes, and asking again — a dashboard
 * refreshed, an audit question "as known at" a past moment — need not compute it again. The most recently used answers
 * are kept, up to {@code kpi-ledger.kpi-answers.cached} answers (0: none) holding at most
 * {@code kpi-ledger.kpi-answers.max-rows} summary rows together.
 */
@Singleton
public class KpiAnswerCache {

    @ConfigProperty(name = "kpi-ledger.kpi-answers.cached", defaultValue = "32")
    int capacity;

    /**
     * What the kept answers may hold together, in summary rows (26 figures each): a breakdown counts its rows and
     * total, a monthly answer two per month (its summary and its changes), anything else one. A year by campaign for
     * 500 campaigns is 501; one for 5,000 campaigns, 5,001, so the heap stays bounded whatever the ledger's size.
     */
    @ConfigProperty(name = "kpi-ledger.kpi-answers.max-rows", defaultValue = "20000")
    int maxRows;

    @Inject
    MeterRegistry registry;

    private Map<Key, Kept> answers;
    private long rows;
    private Counter hits;
    private Counter misses;
    private Counter uncacheable;

    private record Key(Object question, long position) {
    }

    private record Kept(Object answer, int rows) {
    }

    @PostConstruct
    void init() {
        // access order: the least recently used answer is the first
        answers = new LinkedHashMap<>(16, 0.75f, true);
        String description = "KPI answers asked (summary, monthly, funnel), by whether a kept answer served them";
        hits = Counter.builder("kpi_ledger.kpi_answers").description(description).tag("cache", "hit").register(registry);
        misses = Counter.builder("kpi_ledger.kpi_answers").description(description).tag("cache", "miss").register(registry);
        uncacheable = Counter.builder("kpi_ledger.kpi_answers").description(description).tag("cache", "unsettled")
                .register(registry);
        Gauge.builder("kpi_ledger.kpi_answers.kept", this, cache -> cache.size()[0])
                .description("KPI answers kept on this node").register(registry);
        Gauge.builder("kpi_ledger.kpi_answers.kept_rows", this, cache -> cache.size()[1])
                .description("Summary rows the kept KPI answers hold (kpi-ledger.kpi-answers.max-rows at most)")
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
            Kept kept;
            synchronized (this) {
                kept = answers.get(key);
            }
            if (kept != null) {
                hits.increment();
                @SuppressWarnings("unchecked")
                T answer = (T) kept.answer();
                return answer;
            }
        }
        misses.increment();
        T answer = compute.get();
        keep(key, new Kept(answer, rowsOf(answer)));
        return answer;
    }

    private synchronized void keep(Key key, Kept kept) {
        if (kept.rows() > maxRows) {
            return;
        }
        Kept replaced = answers.put(key, kept);
        rows += kept.rows() - (replaced == null ? 0 : replaced.rows());
        Iterator<Kept> leastRecentlyUsed = answers.values().iterator();
        while (answers.size() > capacity || rows > maxRows) {
            rows -= leastRecentlyUsed.next().rows();
            leastRecentlyUsed.remove();
        }
    }

    static int rowsOf(Object answer) {
        if (answer instanceof KpiBreakdownView breakdown) {
            return breakdown.rows().size() + 1;
        }
        if (answer instanceof MonthlyKpisView monthly) {
            return 2 * Math.max(1, monthly.months().size());
        }
        return 1;
    }

    /** Answers kept now, and the summary rows they hold. */
    synchronized long[] size() {
        return new long[]{answers.size(), rows};
    }

    /** Forgets every answer (a read model reset for a rebuild). */
    public synchronized void clear() {
        answers.clear();
        rows = 0;
    }
}
