package com.kpiledger.query.kpi;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.shared.InvalidCommandException;
import com.kpiledger.query.funnel.FirstEntryRow;
import com.kpiledger.query.funnel.FunnelStage;
import com.kpiledger.query.funnel.StageMonthRow;
import com.kpiledger.query.kpi.KpiInputs.Attribution;
import com.kpiledger.query.kpi.KpiInputs.CohortLead;
import com.kpiledger.query.kpi.KpiInputs.CustomerValue;
import com.kpiledger.query.kpi.KpiInputs.FirstEntry;
import com.kpiledger.query.kpi.KpiInputs.SpendAmount;
import com.kpiledger.query.kpi.KpiInputs.SqlTiming;
import com.kpiledger.query.kpi.KpiInputs.StageCount;
import com.kpiledger.query.kpi.KpiInputs.WonDeal;
import com.kpiledger.query.UtcMonths;
import com.kpiledger.query.spend.SpendMonthRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.axonframework.common.DateTimeUtils;
import org.hibernate.Session;

import java.math.BigDecimal;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads {@link KpiInputs} from the read-model tables: each fact cut to the business period and, for "as known at",
 * to the facts recorded by then. Periods are UTC dates: [from 00:00Z, to 00:00Z).
 */
@ApplicationScoped
public class KpiReadModel implements KpiFactSource {

    /** Roughly how many index entries cost as much as reading one event row (measured on PostgreSQL 15, tier M). */
    private static final int INDEX_ENTRIES_PER_EVENT_ROW = 8;
    /** PostgreSQL's random_page_cost for the KPI queries (see {@link #planForTheParametersGiven}). */
    private static final String RANDOM_PAGE_COST = "1.1";
    /** Beyond this many campaigns to sum from their facts, the whole period is summed from the facts. */
    private static final int MAX_CAMPAIGNS_FROM_FACTS = 500;

    @Inject
    EntityManager entityManager;

    /** Whether the database is PostgreSQL (null until first asked). */
    private volatile Boolean postgres;

    /**
     * On PostgreSQL, plans every statement of the current transaction for its own parameters. The driver prepares a
     * statement on the server from its fifth use on, and PostgreSQL then may switch to a generic plan, which cannot see
     * that a year's period holds most of the rows: for the stage counts it chose a sort spilling to disk (300 ms
     * instead of 30 on tier M). Planning each time costs about a millisecond per query.
     *
     * <p>It also plans for read models held in memory (random reads costing little more than sequential ones, as on
     * SSDs): with PostgreSQL's default of 4, made for spinning disks, the entries of the few leads with several entries
     * per stage were found by reading the whole stage-entry table (27-45 ms on tier M) instead of by their index
     * (7-11 ms).
     */
    public void planForTheParametersGiven() {
        if (postgres == null) {
            postgres = entityManager.unwrap(Session.class).doReturningWork(connection ->
                    connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres"));
        }
        if (postgres) {
            entityManager.unwrap(Session.class).doWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL plan_cache_mode = force_custom_plan");
                    statement.execute("SET LOCAL random_page_cost = " + RANDOM_PAGE_COST);
                }
            });
        }
    }

    @Override
    public KpiInputs load(KpiScope scope, String currency, Detail detail, long position) {
        Cut cut = new Cut(scope, position);
        boolean withFunnelDetail = detail == Detail.PERIOD_FUNNEL;
        // per-lead first entries only where leads are followed (cohorts); every other answer needs only their counts
        List<FirstEntry> firstEntries = detail == Detail.COHORT_FUNNEL ? firstEntries(cut) : List.of();
        List<StageCount> stageCounts = detail == Detail.COHORT_FUNNEL
                ? StageCount.countAll(firstEntries) : stageCounts(cut);
        return new KpiInputs(
                currency,
                campaignChannels(cut),
                campaignCurrencies(cut),
                currency == null ? List.of() : spend(cut, currency),
                stageCounts,
                firstEntries,
                currency == null ? List.of() : wonDeals(cut, currency),
                currency == null ? List.of() : newCustomers(cut, currency),
                withFunnelDetail ? sqlTimings(cut) : List.of(),
                withFunnelDetail ? disqualifications(cut) : List.of());
    }

    /**
     * The currency of the money figures: the one asked for, else the ledger's only currency. A ledger holding several
     * needs the question to name one, since sums across currencies mean nothing.
     */
    @Override
    public String resolveCurrency(KpiScope scope, long position) {
        if (scope.currency() != null) {
            return scope.currency();
        }
        Cut cut = new Cut(scope, position);
        Set<String> currencies = new TreeSet<>();
        for (Object[] row : cut.rows("SELECT c.campaignId, c.channel, c.currency FROM CampaignRow c WHERE 1 = 1"
                + cut.known("c"), false)) {
            boolean inScope = (scope.campaignId() == null || scope.campaignId().equals(row[0]))
                    && (scope.channel() == null || scope.channel().equals(row[1]));
            if (inScope) {
                currencies.add((String) row[2]);
            }
        }
        if (currencies.isEmpty()) {
            // a scope without campaigns (organic leads only): the scope's deals tell the currency
            for (Object[] row : cut.rows("SELECT DISTINCT d.campaignId, d.leadChannel, d.currency FROM DealFact d"
                    + " WHERE 1 = 1" + cut.known("d"), false)) {
                boolean inScope = (scope.campaignId() == null || scope.campaignId().equals(row[0]))
                        && (scope.channel() == null || row[0] == null && scope.channel().equals(row[1]));
                if (inScope) {
                    currencies.add((String) row[2]);
                }
            }
        }
        if (currencies.size() > 1) {
            throw new InvalidCommandException("currency",
                    "the ledger holds amounts in " + String.join(", ", currencies) + "; name one with currency=");
        }
        return currencies.isEmpty() ? null : currencies.iterator().next();
    }

    /** When the first event stored after {@code index} was recorded; empty if there is none yet. */
    public Optional<Instant> recordedAfter(long index) {
        List<?> next = entityManager.createNativeQuery("SELECT timeStamp FROM DomainEventEntry WHERE globalIndex > ?1"
                        + " ORDER BY globalIndex")
                .setParameter(1, index)
                .setMaxResults(1)
                .getResultList();
        return next.isEmpty() ? Optional.empty() : Optional.of(DateTimeUtils.parseInstant(String.valueOf(next.get(0))));
    }

    /** The highest store position recorded at or before {@code knownAt} (Axon stores fixed-width ISO timestamps). */
    public long storePositionAt(Instant knownAt) {
        String at = DateTimeUtils.formatInstant(knownAt);
        // the event recorded last by then is a lower bound, not the answer: timestamps need not grow with positions
        // (writers on several nodes), so an event further on may have been recorded earlier
        List<?> latest = entityManager.createNativeQuery("SELECT globalIndex FROM DomainEventEntry"
                        + " WHERE timeStamp <= ?1 ORDER BY timeStamp DESC, globalIndex DESC")
                .setParameter(1, at)
                .setMaxResults(1)
                .getResultList();
        if (latest.isEmpty()) {
            return -1;
        }
        long lowerBound = ((Number) latest.get(0)).longValue();
        Object head = entityManager.createNativeQuery("SELECT MAX(globalIndex) FROM DomainEventEntry").getSingleResult();
        long eventsAfter = ((Number) head).longValue() - lowerBound;
        // Either walk down the positions from the head to the first event recorded by then (few events after it, but
        // each read from the table), or take the maximum over the (timeStamp, globalIndex) index entries recorded by
        // then (read from the index alone, several times cheaper per event; "+ 0" keeps PostgreSQL from walking down).
        String maximum = eventsAfter * INDEX_ENTRIES_PER_EVENT_ROW <= lowerBound
                ? "SELECT MAX(globalIndex) FROM DomainEventEntry WHERE timeStamp <= ?1 AND globalIndex >= ?2"
                : "SELECT MAX(globalIndex + 0) FROM DomainEventEntry WHERE timeStamp <= ?1 AND globalIndex >= ?2";
        Object max = entityManager.createNativeQuery(maximum)
                .setParameter(1, at)
                .setParameter(2, lowerBound)
                .getSingleResult();
        return ((Number) max).longValue();
    }

    @Override
    public List<CohortLead> cohort(KpiScope scope, long position) {
        Cut cut = new Cut(scope, position);
        String enteredInPeriod = "SELECT s.leadId FROM StageEntry s WHERE 1 = 1" + cut.known("s")
                + " GROUP BY s.leadId, s.stage HAVING MIN(s.enteredAt) >= :fromInstant AND MIN(s.enteredAt) < :toInstant";
        Map<String, CohortLead> members = new LinkedHashMap<>();
        for (Object[] row : cut.rows("SELECT e.leadId, e.campaignId, e.leadChannel, e.stage FROM StageEntry e"
                + " WHERE e.leadId IN (" + enteredInPeriod + ")" + cut.known("e")
                + " GROUP BY e.leadId, e.campaignId, e.leadChannel, e.stage", true)) {
            CohortLead lead = members.computeIfAbsent((String) row[0], id -> new CohortLead(id,
                    new Attribution((String) row[1], (String) row[2]), EnumSet.noneOf(FunnelStage.class), false));
            lead.reached().add((FunnelStage) row[3]);
        }
        Set<String> disqualified = new HashSet<>(cut.listWithPeriod(String.class,
                "SELECT q.leadId FROM Disqualification q WHERE q.leadId IN (" + enteredInPeriod + ")" + cut.known("q")));
        List<CohortLead> cohort = new ArrayList<>();
        for (CohortLead lead : members.values()) {
            cohort.add(new CohortLead(lead.leadId(), lead.attribution(), lead.reached(),
                    disqualified.contains(lead.leadId())));
        }
        return cohort;
    }

    private Map<String, String> campaignCurrencies(Cut cut) {
        Map<String, String> currencies = new HashMap<>();
        for (Object[] row : cut.rows("SELECT c.campaignId, c.currency FROM CampaignRow c WHERE 1 = 1" + cut.known("c"), false)) {
            currencies.put((String) row[0], (String) row[1]);
        }
        return currencies;
    }

    private Map<String, String> campaignChannels(Cut cut) {
        Map<String, String> channels = new HashMap<>();
        for (Object[] row : cut.rows("SELECT c.campaignId, c.channel FROM CampaignRow c WHERE 1 = 1" + cut.known("c"), false)) {
            channels.put((String) row[0], (String) row[1]);
        }
        return channels;
    }

    /**
     * The period's spend per campaign and cost type: the months wholly inside the period from their {@link SpendMonthRow}
     * rows, where every fact a row sums is within the cut; the rest from the facts. A row is within the cut when it was
     * recorded in a month before that of "as known at" (so by then) and its highest position is the answer's or lower.
     * A campaign with a row beyond the answer's position (a read model running ahead of the other) is summed from its
     * facts alone. The facts summed are therefore those of the partial months at the period's edges, those recorded in
     * the month of "as known at" (up to it), and those of such campaigns: nothing counted twice, nothing left out.
     */
    private List<SpendAmount> spend(Cut cut, String currency) {
        LocalDate from = cut.scope.from();
        LocalDate to = cut.scope.to();
        Months whole = new Months(cut);
        Map<List<Object>, BigDecimal> sums = new LinkedHashMap<>();
        Set<String> aheadOfPosition = new HashSet<>();
        if (whole.any()) {
            Query months = whole.bind(entityManager.createQuery("SELECT m.campaignId, m.costType, SUM(m.amount),"
                    + " MAX(m.maxPosition) FROM SpendMonthRow m WHERE m.currency = :currency"
                    + " AND m.spentMonth >= :wholeFrom AND m.spentMonth < :wholeTo"
                    + (whole.knownMonth == null ? "" : " AND m.recordedMonth < :knownMonth")
                    + " GROUP BY m.campaignId, m.costType"), false).setParameter("currency", currency);
            for (Object row : months.getResultList()) {
                Object[] columns = (Object[]) row;
                if (((Number) columns[3]).longValue() > cut.position) {
                    aheadOfPosition.add((String) columns[0]);
                } else {
                    sums.put(Arrays.asList(columns[0], columns[1]), (BigDecimal) columns[2]);
                }
            }
            sums.keySet().removeIf(key -> aheadOfPosition.contains((String) key.get(0)));
        }
        boolean monthsUsed = whole.any() && aheadOfPosition.size() <= MAX_CAMPAIGNS_FROM_FACTS;
        if (!monthsUsed) {
            sums.clear();
        }
        Query query = cut.query("SELECT f.campaignId, f.costType, SUM(f.amountDelta) FROM SpendFact f"
                + " WHERE f.spentOn >= :fromDate AND f.spentOn < :toDate AND f.currency = :currency" + cut.known("f")
                + (monthsUsed ? " AND ((f.spentOn >= :fromDate AND f.spentOn < :wholeFrom)"
                        + " OR (f.spentOn >= :wholeTo AND f.spentOn < :toDate)"
                        + (whole.knownMonth == null ? "" : " OR f.recordedAt >= :knownMonthStart")
                        + (aheadOfPosition.isEmpty() ? "" : " OR f.campaignId IN :aheadOfPosition") + ")" : "")
                + " GROUP BY f.campaignId, f.costType", false);
        query.setParameter("fromDate", from).setParameter("toDate", to).setParameter("currency", currency);
        if (monthsUsed) {
            // spend is dated: whole months by date, "as known at" by its month's first instant
            query.setParameter("wholeFrom", whole.wholeFrom).setParameter("wholeTo", whole.wholeTo);
            if (whole.knownMonth != null) {
                query.setParameter("knownMonthStart", startOf(whole.knownMonth));
            }
            if (!aheadOfPosition.isEmpty()) {
                query.setParameter("aheadOfPosition", aheadOfPosition);
            }
        }
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            sums.merge(Arrays.asList(columns[0], columns[1]), (BigDecimal) columns[2], BigDecimal::add);
        }
        List<SpendAmount> spend = new ArrayList<>();
        sums.forEach((key, amount) -> spend.add(new SpendAmount((String) key.get(0), (CostType) key.get(1), amount)));
        return spend;
    }

    private List<FirstEntry> firstEntries(Cut cut) {
        List<FirstEntry> entries = new ArrayList<>();
        for (Object[] row : cut.rows("SELECT e.leadId, e.campaignId, e.leadChannel, e.stage, MIN(e.enteredAt),"
                + " MIN(CASE WHEN e.implied = false THEN e.enteredAt ELSE NULL END) FROM StageEntry e WHERE 1 = 1"
                + cut.known("e")
                + " GROUP BY e.leadId, e.campaignId, e.leadChannel, e.stage"
                + " HAVING MIN(e.enteredAt) >= :fromInstant AND MIN(e.enteredAt) < :toInstant", true)) {
            Instant first = (Instant) row[4];
            Instant firstReported = (Instant) row[5];
            entries.add(new FirstEntry((String) row[0], new Attribution((String) row[1], (String) row[2]),
                    (FunnelStage) row[3], first, firstReported == null || firstReported.isAfter(first)));
        }
        return entries;
    }

    /**
     * The period's first entries counted per attribution and stage, in the database, so that a handful of rows per
     * campaign cross the wire instead of one per lead and stage. The same counts as {@link #firstEntries} gives, in
     * two parts of one statement (one snapshot of both tables, which the projection writes in one transaction):
     * <ul>
     * <li>a lead's only entry into a stage (nearly every pair) is read from its {@link FirstEntryRow} row, which carries
     * that entry's clocks, so the cut keeps or drops it exactly as it would the entry;</li>
     * <li>a pair with several entries may have another first entry under each cut (late, restated or out-of-order
     * facts), so its entries are grouped as before: the first (and first reported) entry among those known.</li>
     * </ul>
     * Entries from the period's end on are left out before grouping, which changes nothing (they can neither be a first
     * entry in the period nor make one implied: a first reported entry after the first entry means implied, as does
     * none) but spares grouping leads of later periods.
     */
    private List<StageCount> stageCounts(Cut cut) {
        Map<List<Object>, long[]> counts = new LinkedHashMap<>();
        Months months = new Months(cut);
        // first the pairs not in month rows, in one statement; then the month rows, each of which must be within the
        // cut: a batch committing in between raises the position bound of every row it changes, so that is seen
        boolean monthRowsUsed = months.any();
        countInto(counts, singleAndSeveralEntryPairs(cut, monthRowsUsed ? months : null));
        if (monthRowsUsed) {
            Map<List<Object>, long[]> fromMonths = new LinkedHashMap<>();
            boolean allWithinCut = true;
            for (Object result : months.bind(entityManager.createQuery("SELECT m.campaignKey, m.channelKey, m.stage,"
                    + " SUM(m.pairs), SUM(m.implied), MAX(m.maxPosition) FROM StageMonthRow m"
                    + " WHERE m.enteredMonth >= :wholeFrom AND m.enteredMonth < :wholeTo"
                    + (months.knownMonth == null ? "" : " AND m.recordedMonth < :knownMonth")
                    + " GROUP BY m.campaignKey, m.channelKey, m.stage"), false).getResultList()) {
                Object[] row = (Object[]) result;
                if (((Number) row[5]).longValue() > cut.position) {
                    allWithinCut = false;
                    break;
                }
                fromMonths.put(Arrays.asList(StageMonthRow.valueOf((String) row[0]), StageMonthRow.valueOf((String) row[1]),
                        row[2]), new long[]{((Number) row[3]).longValue(), ((Number) row[4]).longValue()});
            }
            if (allWithinCut) {
                fromMonths.forEach((key, count) -> {
                    long[] total = counts.computeIfAbsent(key, k -> new long[2]);
                    total[0] += count[0];
                    total[1] += count[1];
                });
            } else {
                // a read model running ahead of the answer's position: every pair from its row or entries
                counts.clear();
                countInto(counts, singleAndSeveralEntryPairs(cut, null));
            }
        }
        List<StageCount> stageCounts = new ArrayList<>();
        counts.forEach((key, count) -> {
            if (count[0] != 0) {
                stageCounts.add(new StageCount(new Attribution((String) key.get(0), (String) key.get(1)),
                        (FunnelStage) key.get(2), count[0], count[1]));
            }
        });
        return stageCounts;
    }

    private static void countInto(Map<List<Object>, long[]> counts, List<Object[]> rows) {
        for (Object[] row : rows) {
            // the same attribution and stage may come from several parts
            long[] count = counts.computeIfAbsent(Arrays.asList(row[0], row[1], row[2]), key -> new long[2]);
            count[0] += ((Number) row[3]).longValue();
            count[1] += ((Number) row[4]).longValue();
        }
    }

    /**
     * The period's first entries counted per attribution and stage, except those counted by the month rows of
     * {@code months} (if given). Two parts of one statement (one snapshot of both tables, which the projection writes
     * in one transaction):
     * <ul>
     * <li>a lead's only entry into a stage (nearly every pair) is read from its {@link FirstEntryRow} row, which carries
     * that entry's clocks, so the cut keeps or drops it exactly as it would the entry;</li>
     * <li>a pair with several entries may have another first entry under each cut (late, restated or out-of-order
     * facts), so its entries are grouped as before: the first (and first reported) entry among those known.</li>
     * </ul>
     * Entries from the period's end on are left out before grouping, which changes nothing (they can neither be a first
     * entry in the period nor make one implied: a first reported entry after the first entry means implied, as does
     * none) but spares grouping leads of later periods.
     */
    private List<Object[]> singleAndSeveralEntryPairs(Cut cut, Months months) {
        Query query = cut.query("SELECT f.campaignId, f.leadChannel, f.stage, COUNT(*),"
                + " SUM(CASE WHEN f.firstReportedAt IS NULL OR f.firstReportedAt > f.enteredAt THEN 1 ELSE 0 END)"
                + " FROM FirstEntryRow f WHERE f.entries = 1"
                + " AND f.enteredAt >= :fromInstant AND f.enteredAt < :toInstant" + cut.known("f")
                + (months == null ? "" : " AND (f.enteredAt < :wholeFromInstant OR f.enteredAt >= :wholeToInstant"
                        + (months.knownMonth == null ? "" : " OR f.recordedAt >= :knownMonthStart") + ")")
                + " GROUP BY f.campaignId, f.leadChannel, f.stage"
                + " UNION ALL"
                + " SELECT m.campaignId, m.leadChannel, m.stage, COUNT(*),"
                + " SUM(CASE WHEN m.firstReported IS NULL OR m.firstReported > m.firstAt THEN 1 ELSE 0 END)"
                + " FROM (SELECT e.leadId AS leadId, e.campaignId AS campaignId, e.leadChannel AS leadChannel,"
                + " e.stage AS stage, MIN(e.enteredAt) AS firstAt,"
                + " MIN(CASE WHEN e.implied = false THEN e.enteredAt ELSE NULL END) AS firstReported"
                + " FROM StageEntry e WHERE e.enteredAt < :toInstant" + cut.known("e")
                + " AND EXISTS (SELECT 1 FROM FirstEntryRow x WHERE x.leadId = e.leadId AND x.stage = e.stage"
                + " AND x.entries > 1)"
                + " GROUP BY e.leadId, e.campaignId, e.leadChannel, e.stage"
                + " HAVING MIN(e.enteredAt) >= :fromInstant) m"
                + " GROUP BY m.campaignId, m.leadChannel, m.stage", true);
        if (months != null) {
            months.bind(query, true);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows;
    }

    private List<WonDeal> wonDeals(Cut cut, String currency) {
        Query query = cut.query("SELECT d.campaignId, d.leadChannel, SUM(d.amount), SUM(d.amount * d.grossMargin)"
                + " FROM DealFact d WHERE d.outcome = :won AND d.currency = :currency"
                + " AND d.closedAt >= :fromInstant AND d.closedAt < :toInstant" + cut.known("d")
                + " GROUP BY d.campaignId, d.leadChannel", true);
        query.setParameter("won", DealOutcome.WON).setParameter("currency", currency);
        List<WonDeal> deals = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            deals.add(new WonDeal(new Attribution((String) columns[0], (String) columns[1]),
                    (BigDecimal) columns[2], (BigDecimal) columns[3]));
        }
        return deals;
    }

    private List<CustomerValue> newCustomers(Cut cut, String currency) {
        Query query = cut.query("SELECT d.leadId, d.campaignId, d.leadChannel, SUM(d.amount * d.grossMargin)"
                + " FROM DealFact d WHERE d.outcome = :won AND d.currency = :currency" + cut.known("d")
                + " AND " + firstEnteredInPeriod(cut, "d.leadId", FunnelStage.CUSTOMER)
                + " GROUP BY d.leadId, d.campaignId, d.leadChannel", true);
        query.setParameter("won", DealOutcome.WON).setParameter("currency", currency);
        List<CustomerValue> customers = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            customers.add(new CustomerValue((String) columns[0],
                    new Attribution((String) columns[1], (String) columns[2]), (BigDecimal) columns[3]));
        }
        return customers;
    }

    private List<SqlTiming> sqlTimings(Cut cut) {
        Map<String, Instant[]> times = new LinkedHashMap<>();
        Map<String, Attribution> attributions = new HashMap<>();
        for (Object[] row : cut.rows("SELECT e.leadId, e.campaignId, e.leadChannel, e.stage, MIN(e.enteredAt)"
                + " FROM StageEntry e WHERE e.stage IN (" + enumLiteral(FunnelStage.MQL) + ", "
                + enumLiteral(FunnelStage.SQL) + ")" + cut.known("e")
                + " AND e.leadId IN (" + leadsFirstEnteredInPeriod(cut, "s", FunnelStage.SQL) + ")"
                + " GROUP BY e.leadId, e.campaignId, e.leadChannel, e.stage", true)) {
            String leadId = (String) row[0];
            attributions.put(leadId, new Attribution((String) row[1], (String) row[2]));
            Instant[] mqlAndSql = times.computeIfAbsent(leadId, id -> new Instant[2]);
            mqlAndSql[row[3] == FunnelStage.MQL ? 0 : 1] = (Instant) row[4];
        }
        List<SqlTiming> timings = new ArrayList<>();
        times.forEach((leadId, mqlAndSql) -> {
            if (mqlAndSql[0] != null && mqlAndSql[1] != null) {
                timings.add(new SqlTiming(leadId, attributions.get(leadId), mqlAndSql[0], mqlAndSql[1]));
            }
        });
        return timings;
    }

    private List<Attribution> disqualifications(Cut cut) {
        List<Attribution> disqualified = new ArrayList<>();
        for (Object[] row : cut.rows("SELECT q.campaignId, q.leadChannel FROM Disqualification q"
                + " WHERE q.disqualifiedAt >= :fromInstant AND q.disqualifiedAt < :toInstant" + cut.known("q"), true)) {
            disqualified.add(new Attribution((String) row[0], (String) row[1]));
        }
        return disqualified;
    }

    /**
     * A condition on {@code leadId}: the lead's first entry into {@code stage} (among the entries known) falls in the
     * period. As in {@link #stageCounts}: a lead's only entry into the stage from its {@link FirstEntryRow} row, the
     * entries of a lead with several grouped.
     */
    private static String firstEnteredInPeriod(Cut cut, String leadId, FunnelStage stage) {
        String literal = enumLiteral(stage);
        return "(" + leadId + " IN (SELECT fo.leadId FROM FirstEntryRow fo WHERE fo.stage = " + literal
                + " AND fo.entries = 1 AND fo.enteredAt >= :fromInstant AND fo.enteredAt < :toInstant" + cut.known("fo")
                + ") OR " + leadId + " IN (SELECT fs.leadId FROM StageEntry fs WHERE fs.stage = " + literal + cut.known("fs")
                + " AND fs.leadId IN (SELECT fm.leadId FROM FirstEntryRow fm WHERE fm.stage = " + literal
                + " AND fm.entries > 1)"
                + " GROUP BY fs.leadId HAVING MIN(fs.enteredAt) >= :fromInstant AND MIN(fs.enteredAt) < :toInstant))";
    }

    /**
     * Leads whose first entry into {@code stage} (among the entries known) falls in the period, grouped from every
     * entry. Kept for the time-to-SQL figures (not on the summary's path): H2 answered their query with the
     * {@link #firstEnteredInPeriod} condition so slowly that the demo's funnel request timed out.
     */
    private static String leadsFirstEnteredInPeriod(Cut cut, String alias, FunnelStage stage) {
        return "SELECT " + alias + ".leadId FROM StageEntry " + alias + " WHERE " + alias + ".stage = " + enumLiteral(stage)
                + cut.known(alias) + " GROUP BY " + alias + ".leadId HAVING MIN(" + alias + ".enteredAt) >= :fromInstant"
                + " AND MIN(" + alias + ".enteredAt) < :toInstant";
    }

    private static String enumLiteral(FunnelStage stage) {
        return FunnelStage.class.getName() + "." + stage.name();
    }

    /**
     * The months wholly inside a cut's period, [wholeFrom, wholeTo), read from month rows when they are within the cut;
     * and the month of "as known at", whose facts are read one by one (rows of earlier recorded months are known by
     * then as a whole).
     */
    private static final class Months {

        final LocalDate wholeFrom;
        final LocalDate wholeTo;
        final LocalDate knownMonth;

        Months(Cut cut) {
            LocalDate from = cut.scope.from();
            wholeFrom = from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
            wholeTo = cut.scope.to().withDayOfMonth(1);
            knownMonth = cut.scope.knownAt() == null ? null
                    : UtcMonths.of(cut.scope.knownAt());
        }

        boolean any() {
            return wholeFrom.isBefore(wholeTo);
        }

        /** Sets the parameters: as instants for the queries of facts, as dates for those of month rows. */
        Query bind(Query query, boolean asInstants) {
            if (asInstants) {
                query.setParameter("wholeFromInstant", startOf(wholeFrom)).setParameter("wholeToInstant", startOf(wholeTo));
                if (knownMonth != null) {
                    query.setParameter("knownMonthStart", startOf(knownMonth));
                }
            } else {
                query.setParameter("wholeFrom", wholeFrom).setParameter("wholeTo", wholeTo);
                if (knownMonth != null) {
                    query.setParameter("knownMonth", knownMonth);
                }
            }
            return query;
        }
    }

    /**
     * The cuts of every query: the business period; the store position the answer reflects (so an answer can be
     * recomputed exactly, even while one read model runs ahead of the other); and "as known at", if asked.
     */
    private final class Cut {

        final KpiScope scope;
        final long position;

        Cut(KpiScope scope, long position) {
            this.scope = scope;
            this.position = position;
        }

        String known(String alias) {
            return " AND " + alias + ".position <= :position"
                    + (scope.knownAt() == null ? "" : " AND " + alias + ".recordedAt <= :knownAt");
        }

        Query query(String hql, boolean withPeriodInstants) {
            Query query = entityManager.createQuery(hql);
            query.setParameter("position", position);
            if (scope.knownAt() != null) {
                query.setParameter("knownAt", scope.knownAt());
            }
            if (withPeriodInstants) {
                query.setParameter("fromInstant", startOf(scope.from()));
                query.setParameter("toInstant", startOf(scope.to()));
            }
            return query;
        }

        @SuppressWarnings("unchecked")
        List<Object[]> rows(String hql, boolean withPeriodInstants) {
            return query(hql, withPeriodInstants).getResultList();
        }

        @SuppressWarnings("unchecked")
        <T> List<T> list(Class<T> type, String hql) {
            return query(hql, false).getResultList();
        }

        @SuppressWarnings("unchecked")
        <T> List<T> listWithPeriod(Class<T> type, String hql) {
            return query(hql, true).getResultList();
        }
    }

    static Instant startOf(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
