package com.kpiledger.query.spend;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.query.kpi.KpiFactSource.Detail;
import com.kpiledger.query.kpi.KpiInputs.SpendAmount;
import com.kpiledger.query.kpi.KpiReadModel;
import com.kpiledger.query.UtcMonths;
import com.kpiledger.support.ReadModelChecks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The month rows ({@link SpendMonthRow}) give the KPI queries exactly the spend of the per-fact query they partly
 * replaced, on random histories of spend lines and corrections in two currencies, recorded over several months with
 * recorded times that do not follow positions (writers on several nodes), under periods that cut months, position cuts
 * and "as known at" cuts (some exactly at a month's start) together. Two references: the old per-fact HQL (verbatim) and
 * a model of the definition in this test.
 *
 * <p>The rows are written by the projection's own bookkeeping ({@link SpendProjection#addToMonth}) outside a batch, as
 * for a single event; the batched path is what every other KPI test and the rebuild tests go through, and
 * {@link #monthRowsAreTheFactsGrouped} checks its rows against the facts after all of them. Each history has a
 * business year of its own (2081-2084) and fresh ids, and is deleted afterwards.
 */
@QuarkusTest
class SpendMonthRowTest {

    @Inject
    KpiReadModel readModel;

    @Inject
    EntityManager entityManager;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261125})
    void theSpendIsThePerFactSumUnderEveryCut(long seed) throws InterruptedException {
        Random random = new Random(seed);
        int year = 2081 + (int) (seed % 4);
        String prefix = "sm-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        History history = History.generate(random, year, prefix);
        QuarkusTransaction.requiringNew().run(history::write);
        try {
            List<LocalDate[]> periods = List.of(
                    new LocalDate[]{LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1)},
                    new LocalDate[]{LocalDate.of(year, 3, 1), LocalDate.of(year, 8, 17)},
                    new LocalDate[]{LocalDate.of(year, 2, 11), LocalDate.of(year, 10, 1)},
                    new LocalDate[]{LocalDate.of(year, 6, 5), LocalDate.of(year, 6, 20)},
                    new LocalDate[]{LocalDate.of(year, 6, 30), LocalDate.of(year, 7, 2)},
                    new LocalDate[]{LocalDate.of(year - 1, 12, 1), LocalDate.of(year, 2, 1)});
            List<Long> positions = new ArrayList<>(List.of(Long.MAX_VALUE, 0L));
            List<Instant> knownAts = new ArrayList<>();
            knownAts.add(null);
            for (int i = 0; i < 5; i++) {
                positions.add(history.positions.get(random.nextInt(history.positions.size())));
                knownAts.add(history.recordedTimes.get(random.nextInt(history.recordedTimes.size())));
            }
            // "as known at" exactly at the start of a month the facts were recorded in, and just before it
            Instant monthStart = LocalDate.ofInstant(history.recordedTimes.get(history.recordedTimes.size() / 2),
                    ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
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
            assertThat(checked).isEqualTo(6 * 7 * 8);
            assertThat(history.facts.stream().filter(fact -> fact.correction).count()).as("corrections")
                    .isGreaterThan(10);
            assertThat(history.facts.stream().map(fact -> UtcMonths.of(fact.recordedAt)).distinct().count())
                    .as("months recorded in").isGreaterThan(2);
            monthRowsAreTheFactsGrouped();
            QuarkusTransaction.requiringNew().run(() -> theMigrationFillsInWhatTheProjectionWrote(history.prefix));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> history.delete(entityManager));
        }
    }

    private void check(History history, KpiScope scope, long position, String context) {
        List<SpendAmount> spend = readModel.load(scope, "EUR", Detail.SUMMARY, position).spend();
        assertThat(spend.stream().map(amount -> amount.campaignId() + " " + amount.costType()).distinct().count())
                .as(context + ": one row per campaign and cost type").isEqualTo(spend.size());
        Set<String> mine = normalized(spend.stream().filter(amount -> amount.campaignId().startsWith(history.prefix))
                .toList());
        assertThat(mine).as(context + ": old per-fact query").isEqualTo(normalized(oldSpend(scope, position)
                .stream().filter(amount -> amount.campaignId().startsWith(history.prefix)).toList()));
        assertThat(mine).as(context + ": model").isEqualTo(history.expectedSpend(scope, position));
    }

    private static Set<String> normalized(List<SpendAmount> spend) {
        return spend.stream().map(amount -> amount.campaignId() + " " + amount.costType() + " "
                + amount.amount().stripTrailingZeros().toPlainString()).collect(Collectors.toSet());
    }

    /** Every month row is its facts grouped, and every fact is in a month row. */
    void monthRowsAreTheFactsGrouped() throws InterruptedException {
        ReadModelChecks.assertHoldsWhatItShould(() -> new ReadModelChecks.Comparison(rows(""), factsGrouped()));
    }

    private static Set<String> factsGrouped() {
        Map<List<Object>, Object[]> grouped = new HashMap<>();
        for (SpendFact fact : SpendFact.<SpendFact>listAll()) {
            SpendMonthRow.Key key = SpendMonthRow.keyOf(fact);
            Object[] sums = grouped.computeIfAbsent(Arrays.asList(key.campaignId, key.costType, key.currency,
                    key.spentMonth, key.recordedMonth), k -> new Object[]{BigDecimal.ZERO, 0L, -1L});
            sums[0] = ((BigDecimal) sums[0]).add(fact.amountDelta);
            sums[1] = (long) sums[1] + 1;
            sums[2] = Math.max((long) sums[2], fact.position);
        }
        return grouped.entrySet().stream().map(e -> e.getKey() + " "
                        + ((BigDecimal) e.getValue()[0]).stripTrailingZeros().toPlainString() + " " + e.getValue()[1]
                        + " " + e.getValue()[2])
                .collect(Collectors.toSet());
    }

    private static Set<String> rows(String prefix) {
        return SpendMonthRow.<SpendMonthRow>streamAll()
                .filter(row -> row.campaignId.startsWith(prefix))
                .map(row -> Arrays.asList(row.campaignId, row.costType, row.currency, row.spentMonth,
                        row.recordedMonth) + " " + row.amount.stripTrailingZeros().toPlainString() + " " + (long) row.facts
                        + " " + row.maxPosition)
                .collect(Collectors.toSet());
    }

    /**
     * A deployment upgraded from V6 gets its month rows from V7's INSERT, not from the projection: run that statement
     * (as the migration holds it) for this history's campaigns and compare with what the projection wrote.
     */
    void theMigrationFillsInWhatTheProjectionWrote(String prefix) {
        Set<String> projected = rows(prefix);
        assertThat(projected).isNotEmpty();
        entityManager.createQuery("DELETE FROM SpendMonthRow WHERE campaignId LIKE :prefix")
                .setParameter("prefix", prefix + "%").executeUpdate();
        String backfill = ReadModelChecks.migrationStatement("V7__monthly_rollups.sql", "INSERT INTO kpi_spend_month")
                .replace("FROM kpi_spend_fact)", "FROM kpi_spend_fact WHERE campaign_id LIKE '" + prefix + "%')");
        assertThat(entityManager.createNativeQuery(backfill).executeUpdate()).isEqualTo(projected.size());
        entityManager.clear();
        assertThat(rows(prefix)).isEqualTo(projected);
    }

    /** The query as it was before the month rows, verbatim. */
    private List<SpendAmount> oldSpend(KpiScope scope, long position) {
        var query = entityManager.createQuery("SELECT f.campaignId, f.costType, SUM(f.amountDelta) FROM SpendFact f"
                + " WHERE f.spentOn >= :fromDate AND f.spentOn < :toDate AND f.currency = :currency"
                + " AND f.position <= :position" + (scope.knownAt() == null ? "" : " AND f.recordedAt <= :knownAt")
                + " GROUP BY f.campaignId, f.costType");
        query.setParameter("fromDate", scope.from()).setParameter("toDate", scope.to())
                .setParameter("currency", "EUR").setParameter("position", position);
        if (scope.knownAt() != null) {
            query.setParameter("knownAt", scope.knownAt());
        }
        List<SpendAmount> spend = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            spend.add(new SpendAmount((String) columns[0], (CostType) columns[1], (BigDecimal) columns[2]));
        }
        return spend;
    }

    /** A random spend history, written as the projection writes it, and what the KPI definition says of it. */
    static final class History {

        final String prefix;
        final List<SpendFact> facts = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();
        final List<Instant> recordedTimes = new ArrayList<>();

        private History(String prefix) {
            this.prefix = prefix;
        }

        static History generate(Random random, int year, String prefix) {
            History history = new History(prefix);
            List<String[]> campaigns = List.of(new String[]{prefix + "c1", "EUR"}, new String[]{prefix + "c2", "EUR"},
                    new String[]{prefix + "c3", "EUR"}, new String[]{prefix + "usd", "USD"});
            CostType[] costTypes = CostType.values();
            // recorded about every 4 hours from mid-February: the facts span several months of recording
            Instant recordingStart = LocalDate.of(2080, 2, 14).atStartOfDay(ZoneOffset.UTC).toInstant();
            long firstPosition = 5_000_000 + random.nextInt(1000);
            long[] nextPosition = {firstPosition};
            int lines = 250 + random.nextInt(100);
            for (int line = 0; line < lines; line++) {
                String[] campaign = campaigns.get(random.nextInt(campaigns.size()));
                CostType costType = costTypes[random.nextInt(costTypes.length)];
                // spent from a month before the year to a month after it: periods cut through the histories
                LocalDate spentOn = LocalDate.of(year, 1, 1).plusDays(random.nextInt(425) - 31);
                String spendId = prefix + "spend-" + line;
                BigDecimal amount = BigDecimal.valueOf(random.nextInt(1_000_000), 2);
                history.fact(random, nextPosition, firstPosition, recordingStart, campaign, spendId, costType,
                        spentOn, amount, false);
                // corrections later on: up or down, sometimes to nothing
                while (random.nextInt(4) == 0) {
                    BigDecimal corrected = random.nextInt(5) == 0 ? BigDecimal.ZERO
                            : BigDecimal.valueOf(random.nextInt(1_000_000), 2);
                    history.fact(random, nextPosition, firstPosition, recordingStart, campaign, spendId, costType,
                            spentOn, corrected.subtract(amount), true);
                    amount = corrected;
                }
            }
            return history;
        }

        private void fact(Random random, long[] nextPosition, long firstPosition, Instant recordingStart,
                          String[] campaign, String spendId, CostType costType, LocalDate spentOn, BigDecimal delta,
                          boolean correction) {
            long position = nextPosition[0]++;
            SpendFact fact = new SpendFact();
            fact.eventId = prefix + "event-" + position;
            fact.campaignId = campaign[0];
            fact.spendId = spendId;
            fact.costType = costType;
            fact.spentOn = spentOn;
            fact.amountDelta = delta;
            fact.currency = campaign[1];
            fact.correction = correction;
            fact.position = position;
            // four hours per position, give or take up to 5 s: neighbouring positions are often recorded out of order
            fact.recordedAt = recordingStart.plusSeconds((position - firstPosition) * 14_400 + random.nextInt(11) - 5);
            fact.appliedBy = "test";
            facts.add(fact);
            positions.add(position);
            recordedTimes.add(fact.recordedAt);
        }

        /** Written as the spend projection writes them, in position order. */
        void write() {
            for (SpendFact fact : facts) {
                fact.persist();
                SpendProjection.addToMonth(fact);
            }
        }

        void delete(EntityManager entityManager) {
            for (String table : List.of("SpendMonthRow", "SpendFact")) {
                entityManager.createQuery("DELETE FROM " + table + " WHERE campaignId LIKE :prefix")
                        .setParameter("prefix", prefix + "%").executeUpdate();
            }
        }

        /** kpi-spec: the spend of a period is the sum of its lines' latest amounts known, by campaign and cost type. */
        Set<String> expectedSpend(KpiScope scope, long position) {
            Map<String, BigDecimal> sums = new HashMap<>();
            for (SpendFact fact : facts) {
                boolean known = fact.position <= position
                        && (scope.knownAt() == null || !fact.recordedAt.isAfter(scope.knownAt()));
                boolean inPeriod = !fact.spentOn.isBefore(scope.from()) && fact.spentOn.isBefore(scope.to());
                if (known && inPeriod && fact.currency.equals("EUR")) {
                    sums.merge(fact.campaignId + " " + fact.costType, fact.amountDelta, BigDecimal::add);
                }
            }
            return sums.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().stripTrailingZeros().toPlainString())
                    .collect(Collectors.toSet());
        }
    }
}
