package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiBreakdownView;
import com.kpiledger.coreapi.kpi.KpiSummaryView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the kept answers may hold: at most so many answers, and at most so many summary rows together, the least
 * recently used going first; an answer larger than the whole budget is answered but not kept; an unsettled answer is
 * never kept; a fresh one is computed and replaces the kept one.
 */
class KpiAnswerCacheTest {

    private final AtomicInteger computed = new AtomicInteger();

    @Test
    void keepsAtMostSoManyAnswersAndRowsTheLeastRecentlyUsedGoingFirst() {
        KpiAnswerCache cache = cache(3, 1000);
        ask(cache, "a", 400);
        ask(cache, "b", 400);
        assertThat(cache.size()).containsExactly(2, 802);
        ask(cache, "a", 400);
        assertThat(computed).as("a kept").hasValue(2);

        ask(cache, "c", 300);
        assertThat(cache.size()).as("b, the least recently used, made room").containsExactly(2, 702);
        ask(cache, "a", 400);
        ask(cache, "c", 300);
        assertThat(computed).hasValue(3);
        ask(cache, "b", 400);
        assertThat(computed).as("b computed again").hasValue(4);

        ask(cache, "d", 0);
        ask(cache, "e", 0);
        assertThat(cache.size()[0]).as("three answers at most").isEqualTo(3);
    }

    @Test
    void aLargerAnswerThanTheBudgetAndAnUnsettledOneAreNotKept() {
        KpiAnswerCache cache = cache(32, 1000);
        ask(cache, "huge", 1000);
        ask(cache, "huge", 1000);
        assertThat(computed).hasValue(2);
        assertThat(cache.size()).containsExactly(0, 0);

        cache.answer("q", 7, false, false, () -> answer(1));
        cache.answer("q", 7, false, false, () -> answer(1));
        assertThat(computed).hasValue(4);
        assertThat(cache.size()[0]).isZero();

        cache.answer("q", 7, true, false, () -> answer(1));
        cache.answer("q", 8, true, false, () -> answer(1));
        assertThat(computed).as("another position, another answer").hasValue(6);
        cache.answer("q", 8, true, true, () -> answer(1));
        assertThat(computed).as("afresh").hasValue(7);
        assertThat(cache.size()).as("the fresh one replaced the kept one").containsExactly(2, 4);

        cache.clear();
        assertThat(cache.size()).containsExactly(0, 0);
    }

    private void ask(KpiAnswerCache cache, String question, int rows) {
        cache.answer(question, 1, true, false, () -> answer(rows));
    }

    private KpiBreakdownView answer(int rows) {
        computed.incrementAndGet();
        return new KpiBreakdownView(GroupBy.CAMPAIGN, Collections.nCopies(rows, (KpiSummaryView) null), null);
    }

    private static KpiAnswerCache cache(int capacity, int maxRows) {
        KpiAnswerCache cache = new KpiAnswerCache();
        cache.capacity = capacity;
        cache.maxRows = maxRows;
        cache.registry = new SimpleMeterRegistry();
        cache.init();
        return cache;
    }
}
