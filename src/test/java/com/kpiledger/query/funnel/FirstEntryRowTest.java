package com.kpiledger.query.funnel;

import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.query.kpi.KpiFactSource.Detail;
import com.kpiledger.query.kpi.KpiInputs;
import com.kpiledger.query.kpi.KpiInputs.Attribution;
import com.kpiledger.query.kpi.KpiInputs.CustomerValue;
import com.kpiledger.query.kpi.KpiInputs.SqlTiming;
import com.kpiledger.query.kpi.KpiInputs.StageCount;
import com.kpiledger.query.kpi.KpiReadModel;
import com.kpiledger.query.UtcMonths;
import com.kpiledger.support.ReadModelChecks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first-entry rows ({@link FirstEntryRow}) give the KPI queries exactly the answers of the per-entry queries they
 * replaced, on random histories of late, out-of-order and restated stage entries (several entries per lead and stage,
 * reported and implied, earlier or later than the first), whose recorded times do not follow their positions (writers
 * on several nodes), under position cuts and "as known at" cuts together. Three references: the old per-entry HQL
 * (verbatim), the per-lead first entries the cohort funnel still loads, and a model of the definition in this test.
 *
 * <p>The rows are written by the projection's own bookkeeping ({@link FunnelProjection#count}) outside a batch, as
 * for a single event; the batched path is what every other KPI test and the rebuild tests go through, and
 * {@link #firstEntryRowsAreTheStageEntriesGrouped} checks its rows against the entries after all of them.
 * Each history has a business year of its own (2071-2074) and fresh ids, and is deleted afterwards.
 */
@QuarkusTest
class FirstEntryRowTest {

    @Inject
    KpiReadModel readModel;

    @Inject
    EntityManager entityManager;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261125})
    void theSummaryQueriesAnswerAsThePerEntryQueriesUnderEveryCut(long seed) throws InterruptedException {
        Random random = new Random(seed);
        int year = 2071 + (int) (seed % 4);
        String prefix = "fe-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        History history = History.generate(random, year, prefix);
        QuarkusTransaction.requiringNew().run(history::write);
        try {
            List<LocalDate[]> periods = List.of(
                    new LocalDate[]{LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1)},
                    new LocalDate[]{LocalDate.of(year, 3, 1), LocalDate.of(year, 8, 17)},
                    new LocalDate[]{LocalDate.of(year, 6, 30), LocalDate.of(year, 7, 1)},
                    new LocalDate[]{LocalDate.of(year - 1, 12, 1), LocalDate.of(year, 2, 1)});
            List<Long> positions = new ArrayList<>(List.of(Long.MAX_VALUE, 0L));
            List<Instant> knownAts = new ArrayList<>();
            knownAts.add(null);
            for (int i = 0; i < 6; i++) {
                positions.add(history.positions.get(random.nextInt(history.positions.size())));
                knownAts.add(history.recordedTimes.get(random.nextInt(history.recordedTimes.size())));
            }
            // "as known at" exactly at the start of a month entries were recorded in, and just before it
            Instant monthStart = UtcMonths.of(history.recordedTimes.get(history.recordedTimes.size() / 2))
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
            knownAts.add(monthStart);
            knownAts.add(monthStart.minusNanos(1000));
            int checked = 0;
            for (LocalDate[] period : periods) {
                for (long position : positions) {
                    for (Instant knownAt : knownAts) {
                        KpiScope scope = new KpiScope(period[0], period[1], null, null, "EUR", knownAt);
                        String context = "seed " + seed + ", " + period[0] + ".." + period[1] + ", position "
                                + position + ", knownAt " + knownAt;
                        QuarkusTransaction.requiringNew().run(() -> check(history, scope, position, context));
                        checked++;
                    }
                }
            }
            assertThat(checked).isEqualTo(4 * 8 * 9);
            assertThat(history.severalEntries()).as("pairs with several entries").isGreaterThan(10);
            assertThat(history.recordedTimes.stream().map(UtcMonths::of).distinct().count())
                    .as("months recorded in").isGreaterThan(2);
            QuarkusTransaction.requiringNew().run(this::firstEntryRowsAreTheStageEntriesGrouped);
            QuarkusTransaction.requiringNew().run(() -> theMigrationFillsInWhatTheProjectionWrote(history.prefix));
            monthRowsCountTheSingleEntryPairs();
            QuarkusTransaction.requiringNew().run(() -> theMigrationCountsWhatTheProjectionCounted(history.prefix));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> history.delete(entityManager));
        }
    }

    private void check(History history, KpiScope scope, long position, String context) {
        KpiInputs summary = readModel.load(scope, "EUR", Detail.SUMMARY, position);
        KpiInputs cohort = readModel.load(scope, "EUR", Detail.COHORT_FUNNEL, position);
        KpiInputs periodFunnel = readModel.load(scope, "EUR", Detail.PERIOD_FUNNEL, position);

        Set<StageCount> counts = new HashSet<>(summary.stageCounts());
        assertThat(counts).as(context + ": one row per attribution and stage")
                .hasSameSizeAs(summary.stageCounts());
        assertThat(counts).as(context + ": stage counts, old per-entry query")
                .isEqualTo(new HashSet<>(oldStageCounts(scope, position)));
        assertThat(counts).as(context + ": stage counts, per-lead first entries")
                .isEqualTo(new HashSet<>(cohort.stageCounts()));
        assertThat(mine(counts, history)).as(context + ": stage counts, model")
                .isEqualTo(history.expectedCounts(scope, position));

        assertThat(new HashSet<>(summary.newCustomers())).as(context + ": new customers, old per-entry query")
                .isEqualTo(new HashSet<>(oldNewCustomers(scope, position)));
        assertThat(summary.newCustomers().stream().filter(c -> c.leadId().startsWith(history.prefix))
                .map(c -> c.leadId() + " " + c.ltv().stripTrailingZeros().toPlainString())
                .collect(Collectors.toSet()))
                .as(context + ": new customers, model").isEqualTo(history.expectedNewCustomers(scope, position));

        assertThat(periodFunnel.sqlTimings().stream().filter(t -> t.leadId().startsWith(history.prefix))
                .collect(Collectors.toSet()))
                .as(context + ": time to SQL, model").isEqualTo(history.expectedSqlTimings(scope, position));
    }

    private static Set<StageCount> mine(Set<StageCount> counts, History history) {
        return counts.stream().filter(count -> history.attributions.contains(count.attribution()))
                .collect(Collectors.toSet());
    }

    /** Every first-entry row is its lead's stage entries grouped, and every lead and stage with entries has one. */
    void firstEntryRowsAreTheStageEntriesGrouped() {
        List<?> grouped = entityManager.createQuery("SELECT e.leadId, e.stage, MIN(e.campaignId), MIN(e.leadChannel),"
                + " MIN(e.enteredAt), MIN(CASE WHEN e.implied = false THEN e.enteredAt ELSE NULL END), COUNT(*),"
                + " MAX(e.position), MAX(e.recordedAt) FROM StageEntry e GROUP BY e.leadId, e.stage").getResultList();
        List<?> rows = entityManager.createQuery("SELECT f.leadId, f.stage, f.campaignId, f.leadChannel, f.enteredAt,"
                + " f.firstReportedAt, f.entries, f.position, f.recordedAt FROM FirstEntryRow f").getResultList();
        assertThat(normalized(rows)).isEqualTo(normalized(grouped));
    }

    /**
     * A deployment upgraded from V5 gets its first-entry rows from V6's INSERT, not from the projection: run that
     * statement (as the migration holds it) for this history's leads and compare with what the projection wrote.
     */
    void theMigrationFillsInWhatTheProjectionWrote(String prefix) {
        String columns = "SELECT f.leadId, f.stage, f.campaignId, f.leadChannel, f.enteredAt, f.firstReportedAt,"
                + " f.entries, f.position, f.recordedAt FROM FirstEntryRow f WHERE f.leadId LIKE :prefix";
        List<?> projected = entityManager.createQuery(columns).setParameter("prefix", prefix + "%").getResultList();
        assertThat(projected).isNotEmpty();
        entityManager.createQuery("DELETE FROM FirstEntryRow WHERE leadId LIKE :prefix")
                .setParameter("prefix", prefix + "%").executeUpdate();
        String backfill = ReadModelChecks.migrationStatement("V6__first_entries.sql", "INSERT INTO kpi_first_entry")
                .replace("FROM kpi_stage_entry e", "FROM kpi_stage_entry e WHERE e.lead_id LIKE '" + prefix + "%'");
        assertThat(entityManager.createNativeQuery(backfill).executeUpdate()).isEqualTo(projected.size());
        List<?> migrated = entityManager.createQuery(columns).setParameter("prefix", prefix + "%").getResultList();
        assertThat(normalized(migrated)).isEqualTo(normalized(projected));
    }

    /**
     * Every month row counts the pairs with a single entry of its attribution, stage and months, and every such pair is
     * counted.
     */
    void monthRowsCountTheSingleEntryPairs() throws InterruptedException {
        ReadModelChecks.assertHoldsWhatItShould(() -> {
            Map<String, long[]> expected = new HashMap<>();
            for (FirstEntryRow row : FirstEntryRow.<FirstEntryRow>list("entries", 1)) {
                long[] count = expected.computeIfAbsent(List.of(StageMonthRow.keyOf(row.campaignId),
                        StageMonthRow.keyOf(row.leadChannel), row.stage, UtcMonths.of(row.enteredAt),
                        UtcMonths.of(row.recordedAt)).toString(), key -> new long[2]);
                count[0]++;
                count[1] += row.firstReportedAt == null || row.firstReportedAt.isAfter(row.enteredAt) ? 1 : 0;
            }
            Set<String> actual = StageMonthRow.<StageMonthRow>streamAll().filter(row -> row.pairs != 0)
                    .map(row -> List.of(row.campaignKey, row.channelKey, row.stage, row.enteredMonth,
                            row.recordedMonth) + " " + row.pairs + " " + row.implied)
                    .collect(Collectors.toSet());
            return new ReadModelChecks.Comparison(actual, expected.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1]).collect(Collectors.toSet()));
        });
    }

    /**
     * A deployment upgraded from V6 gets its month rows from V7's INSERT: run that statement for this history's leads
     * and compare with what the projection counted (the history's attributions are its own).
     */
    void theMigrationCountsWhatTheProjectionCounted(String prefix) {
        String mine = " WHERE (campaignKey LIKE :prefix OR channelKey LIKE :prefix)";
        String columns = "SELECT campaignKey, channelKey, stage, enteredMonth, recordedMonth, pairs, implied"
                + " FROM StageMonthRow" + mine + " AND pairs <> 0";
        List<?> projected = entityManager.createQuery(columns).setParameter("prefix", prefix + "%").getResultList();
        assertThat(projected).isNotEmpty();
        entityManager.createQuery("DELETE FROM StageMonthRow" + mine).setParameter("prefix", prefix + "%")
                .executeUpdate();
        String backfill = ReadModelChecks.migrationStatement("V7__monthly_rollups.sql", "INSERT INTO kpi_stage_month")
                .replace("FROM kpi_first_entry WHERE entries = 1)",
                        "FROM kpi_first_entry WHERE entries = 1 AND lead_id LIKE '" + prefix + "%')");
        assertThat(entityManager.createNativeQuery(backfill).executeUpdate()).isEqualTo(projected.size());
        List<?> migrated = entityManager.createQuery(columns).setParameter("prefix", prefix + "%").getResultList();
        assertThat(normalized(migrated)).isEqualTo(normalized(projected));
    }

    private static Set<List<Object>> normalized(List<?> rows) {
        // counts and positions as longs whatever type the database and the mapping gave them
        return rows.stream().map(row -> Arrays.stream((Object[]) row)
                        .map(value -> value instanceof Number number ? (Object) number.longValue() : value)
                        .toList())
                .collect(Collectors.toSet());
    }

    // The queries as they were before the first-entry rows, verbatim.

    private List<StageCount> oldStageCounts(KpiScope scope, long position) {
        List<StageCount> counts = new ArrayList<>();
        for (Object row : query(scope, position, "SELECT f.campaignId, f.leadChannel, f.stage, COUNT(*),"
                + " SUM(CASE WHEN f.firstReported IS NULL OR f.firstReported > f.firstAt THEN 1 ELSE 0 END)"
                + " FROM (SELECT e.leadId AS leadId, e.campaignId AS campaignId, e.leadChannel AS leadChannel,"
                + " e.stage AS stage, MIN(e.enteredAt) AS firstAt,"
                + " MIN(CASE WHEN e.implied = false THEN e.enteredAt ELSE NULL END) AS firstReported"
                + " FROM StageEntry e WHERE e.enteredAt < :toInstant" + known(scope, "e")
                + " GROUP BY e.leadId, e.campaignId, e.leadChannel, e.stage"
                + " HAVING MIN(e.enteredAt) >= :fromInstant) f"
                + " GROUP BY f.campaignId, f.leadChannel, f.stage").getResultList()) {
            Object[] columns = (Object[]) row;
            counts.add(new StageCount(new Attribution((String) columns[0], (String) columns[1]),
                    (FunnelStage) columns[2], ((Number) columns[3]).longValue(), ((Number) columns[4]).longValue()));
        }
        return counts;
    }

    private List<CustomerValue> oldNewCustomers(KpiScope scope, long position) {
        Query query = query(scope, position, "SELECT d.leadId, d.campaignId, d.leadChannel,"
                + " SUM(d.amount * d.grossMargin)"
                + " FROM DealFact d WHERE d.outcome = :won AND d.currency = :currency" + known(scope, "d")
                + " AND d.leadId IN (SELECT s.leadId FROM StageEntry s WHERE s.stage = "
                + FunnelStage.class.getName() + ".CUSTOMER" + known(scope, "s")
                + " GROUP BY s.leadId HAVING MIN(s.enteredAt) >= :fromInstant AND MIN(s.enteredAt) < :toInstant)"
                + " GROUP BY d.leadId, d.campaignId, d.leadChannel");
        query.setParameter("won", DealOutcome.WON).setParameter("currency", "EUR");
        List<CustomerValue> customers = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            customers.add(new CustomerValue((String) columns[0],
                    new Attribution((String) columns[1], (String) columns[2]), (BigDecimal) columns[3]));
        }
        return customers;
    }

    private static String known(KpiScope scope, String alias) {
        return " AND " + alias + ".position <= :position"
                + (scope.knownAt() == null ? "" : " AND " + alias + ".recordedAt <= :knownAt");
    }

    private Query query(KpiScope scope, long position, String hql) {
        Query query = entityManager.createQuery(hql);
        query.setParameter("position", position);
        if (scope.knownAt() != null) {
            query.setParameter("knownAt", scope.knownAt());
        }
        query.setParameter("fromInstant", scope.from().atStartOfDay(ZoneOffset.UTC).toInstant());
        query.setParameter("toInstant", scope.to().atStartOfDay(ZoneOffset.UTC).toInstant());
        return query;
    }

    /** A random funnel history, written as the projection writes it, and what the KPI definition says of it. */
    static final class History {

        final String prefix;
        final List<Attribution> attributions = new ArrayList<>();
        final List<StageEntry> entries = new ArrayList<>();
        final List<DealFact> deals = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();
        final List<Instant> recordedTimes = new ArrayList<>();

        private History(String prefix) {
            this.prefix = prefix;
        }

        static History generate(Random random, int year, String prefix) {
            History history = new History(prefix);
            history.attributions.add(new Attribution(prefix + "c1", "web"));
            history.attributions.add(new Attribution(prefix + "c2", "web"));
            history.attributions.add(new Attribution(prefix + "c3", "social"));
            history.attributions.add(new Attribution(null, prefix + "organic"));
            Instant yearStart = LocalDate.of(year, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant recordingStart = Instant.parse("2070-01-01T00:00:00Z");
            // positions handed out in store order; recorded times mostly follow, with jitter across "nodes"
            long[] nextPosition = {1_000_000 + random.nextInt(1000)};
            int leads = 40 + random.nextInt(20);
            for (int lead = 0; lead < leads; lead++) {
                String leadId = prefix + "lead-" + lead;
                Attribution attribution = history.attributions.get(random.nextInt(history.attributions.size()));
                // captures from a month before the year to a month after it: periods cut through the histories
                Instant capturedAt = yearStart.plus(random.nextInt(425) - 31, ChronoUnit.DAYS)
                        .plusSeconds(random.nextInt(86_400));
                history.enter(random, nextPosition, recordingStart, leadId, attribution, FunnelStage.LEAD, capturedAt,
                        false);
                Instant at = capturedAt;
                boolean customer = false;
                for (FunnelStage stage : List.of(FunnelStage.MQL, FunnelStage.SQL, FunnelStage.CUSTOMER)) {
                    if (random.nextInt(10) < 3) {
                        break;
                    }
                    at = at.plus(random.nextInt(40), ChronoUnit.DAYS).plusSeconds(random.nextInt(86_400));
                    // a stage skipped is implied at the later stage's time; a customer entry is never implied
                    boolean implied = stage != FunnelStage.CUSTOMER && random.nextInt(5) == 0;
                    history.enter(random, nextPosition, recordingStart, leadId, attribution, stage, at, implied);
                    // late and restated facts: more entries into the same stage, earlier or later, reported or not
                    while (random.nextInt(4) == 0) {
                        Instant restated = at.plus(random.nextInt(30) - 15, ChronoUnit.DAYS);
                        history.enter(random, nextPosition, recordingStart, leadId, attribution, stage, restated,
                                stage != FunnelStage.CUSTOMER && random.nextBoolean());
                    }
                    customer = stage == FunnelStage.CUSTOMER;
                }
                if (customer) {
                    for (int deal = 0; deal <= random.nextInt(2); deal++) {
                        history.deal(random, nextPosition, recordingStart, leadId, attribution,
                                at.plus(random.nextInt(60), ChronoUnit.DAYS));
                    }
                }
            }
            return history;
        }

        private void enter(Random random, long[] nextPosition, Instant recordingStart, String leadId,
                           Attribution attribution, FunnelStage stage, Instant enteredAt, boolean implied) {
            StageEntry entry = new StageEntry();
            fill(entry, random, nextPosition, recordingStart, leadId, attribution);
            entry.stage = stage;
            entry.enteredAt = enteredAt;
            entry.implied = implied;
            entries.add(entry);
        }

        private void deal(Random random, long[] nextPosition, Instant recordingStart, String leadId,
                          Attribution attribution, Instant closedAt) {
            DealFact deal = new DealFact();
            fill(deal, random, nextPosition, recordingStart, leadId, attribution);
            deal.dealId = deal.eventId;
            deal.outcome = DealOutcome.WON;
            deal.amount = BigDecimal.valueOf(1000 + random.nextInt(100_000));
            deal.currency = "EUR";
            deal.grossMargin = new BigDecimal("0.35");
            deal.closedAt = closedAt;
            deals.add(deal);
        }

        private void fill(FunnelFact fact, Random random, long[] nextPosition, Instant recordingStart, String leadId,
                          Attribution attribution) {
            long position = nextPosition[0]++;
            fact.eventId = prefix + "event-" + position;
            fact.leadId = leadId;
            fact.campaignId = attribution.campaignId();
            fact.leadChannel = attribution.leadChannel();
            fact.position = position;
            // twelve hours per position, give or take up to eighteen: neighbouring positions are often recorded out of
            // order, and the facts are recorded over several months (the month rows are kept per month recorded)
            fact.recordedAt = recordingStart.plusSeconds((position - 1_000_000) * 43_200
                    + random.nextInt(129_601) - 64_800);
            fact.appliedBy = "test";
            positions.add(position);
            recordedTimes.add(fact.recordedAt);
        }

        /** Written as the funnel projection writes them, a lead's entries in position order. */
        void write() {
            for (StageEntry entry : entries) {
                entry.persist();
                FunnelProjection.count(entry);
            }
            for (DealFact deal : deals) {
                deal.persist();
            }
        }

        void delete(EntityManager entityManager) {
            entityManager.createQuery("DELETE FROM StageMonthRow WHERE campaignKey LIKE :prefix"
                    + " OR channelKey LIKE :prefix").setParameter("prefix", prefix + "%").executeUpdate();
            for (String table : List.of("FirstEntryRow", "StageEntry", "DealFact")) {
                entityManager.createQuery("DELETE FROM " + table + " WHERE leadId LIKE :prefix")
                        .setParameter("prefix", prefix + "%").executeUpdate();
            }
        }

        long severalEntries() {
            return entries.stream().collect(Collectors.groupingBy(e -> e.leadId + " " + e.stage, Collectors.counting()))
                    .values().stream().filter(count -> count > 1).count();
        }

        private static boolean known(FunnelFact fact, KpiScope scope, long position) {
            return fact.position <= position && (scope.knownAt() == null || !fact.recordedAt.isAfter(scope.knownAt()));
        }

        private static boolean inPeriod(Instant at, KpiScope scope) {
            return !at.isBefore(scope.from().atStartOfDay(ZoneOffset.UTC).toInstant())
                    && at.isBefore(scope.to().atStartOfDay(ZoneOffset.UTC).toInstant());
        }

        /** kpi-spec: a lead's first entry into a stage among the entries known, implied when no reported one is as early. */
        private Map<String, Instant[]> firstEntries(KpiScope scope, long position) {
            Map<String, Instant[]> firsts = new HashMap<>();
            for (StageEntry entry : entries) {
                if (!known(entry, scope, position)) {
                    continue;
                }
                Instant[] first = firsts.computeIfAbsent(entry.leadId + "|" + entry.stage, key -> new Instant[2]);
                if (first[0] == null || entry.enteredAt.isBefore(first[0])) {
                    first[0] = entry.enteredAt;
                }
                if (!entry.implied && (first[1] == null || entry.enteredAt.isBefore(first[1]))) {
                    first[1] = entry.enteredAt;
                }
            }
            return firsts;
        }

        Set<StageCount> expectedCounts(KpiScope scope, long position) {
            Map<String, Attribution> attributionOf = new HashMap<>();
            entries.forEach(e -> attributionOf.put(e.leadId, new Attribution(e.campaignId, e.leadChannel)));
            record Key(Attribution attribution, FunnelStage stage) {
            }
            Map<Key, long[]> counts = new HashMap<>();
            firstEntries(scope, position).forEach((pair, first) -> {
                if (!inPeriod(first[0], scope)) {
                    return;
                }
                String[] leadAndStage = pair.split("\\|");
                long[] count = counts.computeIfAbsent(new Key(attributionOf.get(leadAndStage[0]),
                        FunnelStage.valueOf(leadAndStage[1])), key -> new long[2]);
                count[0]++;
                count[1] += first[1] == null || first[1].isAfter(first[0]) ? 1 : 0;
            });
            return counts.entrySet().stream().map(e -> new StageCount(e.getKey().attribution(), e.getKey().stage(),
                    e.getValue()[0], e.getValue()[1])).collect(Collectors.toSet());
        }

        Set<String> expectedNewCustomers(KpiScope scope, long position) {
            Map<String, Instant[]> firsts = firstEntries(scope, position);
            Map<String, BigDecimal> ltv = new HashMap<>();
            for (DealFact deal : deals) {
                Instant[] customer = firsts.get(deal.leadId + "|" + FunnelStage.CUSTOMER);
                if (known(deal, scope, position) && customer != null && inPeriod(customer[0], scope)) {
                    ltv.merge(deal.leadId, deal.amount.multiply(deal.grossMargin), BigDecimal::add);
                }
            }
            return ltv.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().stripTrailingZeros().toPlainString())
                    .collect(Collectors.toSet());
        }

        Set<SqlTiming> expectedSqlTimings(KpiScope scope, long position) {
            Map<String, Instant[]> firsts = firstEntries(scope, position);
            Set<SqlTiming> timings = new HashSet<>();
            entries.stream().map(e -> e.leadId).distinct().sorted(Comparator.naturalOrder()).forEach(leadId -> {
                Instant[] sql = firsts.get(leadId + "|" + FunnelStage.SQL);
                Instant[] mql = firsts.get(leadId + "|" + FunnelStage.MQL);
                if (sql != null && mql != null && inPeriod(sql[0], scope)) {
                    StageEntry any = entries.stream().filter(e -> e.leadId.equals(leadId)).findFirst().orElseThrow();
                    timings.add(new SqlTiming(leadId, new Attribution(any.campaignId, any.leadChannel), mql[0], sql[0]));
                }
            });
            return timings;
        }
    }
}
