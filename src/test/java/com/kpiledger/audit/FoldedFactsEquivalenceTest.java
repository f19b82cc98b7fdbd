package com.kpiledger.audit;

import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.campaign.CampaignLaunchedEvent;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.SpendCorrectedEvent;
import com.kpiledger.coreapi.campaign.SpendRecordedEvent;
import com.kpiledger.coreapi.kpi.FunnelViewKind;
import com.kpiledger.coreapi.kpi.GroupBy;
import com.kpiledger.coreapi.kpi.KpiScope;
import com.kpiledger.coreapi.lead.CustomerAcquiredEvent;
import com.kpiledger.coreapi.lead.DealClosedEvent;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import com.kpiledger.coreapi.lead.LeadDisqualifiedEvent;
import com.kpiledger.coreapi.lead.LeadQualifiedEvent;
import com.kpiledger.coreapi.lead.Stage;
import com.kpiledger.query.kpi.KpiAnswers;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compact fold keeps less (the question's "as known at" applied while folding, first entries instead of every
 * entry, spend as columns), so it must answer every kind of question exactly as the fold that kept every fact
 * ({@link ReferenceFold}): summaries with and without breakdowns, monthly answers, both funnels, for periods,
 * campaigns, channels, currencies and "as known at" cuts, on a random ledger with two currencies, corrections,
 * implied stages, organic leads and facts recorded late.
 */
class FoldedFactsEquivalenceTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final String REFUSED = "refused: ";

    record Recorded(Object payload, Instant recordedAt) {
    }

    @Test
    void theCompactFoldAnswersEveryQuestionAsTheFoldOfEveryFact() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Recorded> events = ledger(new Random(seed));
            Instant last = events.get(events.size() - 1).recordedAt();
            Instant middle = events.get(events.size() / 2).recordedAt();
            for (Instant knownAt : new Instant[]{null, middle, START.minusSeconds(1), last}) {
                ReferenceFold reference = new ReferenceFold();
                FoldedFacts compact = new FoldedFacts(knownAt);
                for (Recorded event : events) {
                    reference.apply(event.payload(), event.recordedAt());
                    compact.apply(event.payload(), event.recordedAt());
                }
                int answered = 0;
                List<KpiQuestion> questions = questions(knownAt);
                for (KpiQuestion question : questions) {
                    String expected = answer(reference, question);
                    assertThat(answer(compact, question)).as("seed %d, %s", seed, question).isEqualTo(expected);
                    answered += expected.startsWith(REFUSED) ? 0 : 1;
                }
                // most questions have an answer, not a refusal (several currencies without currency=), to compare
                assertThat(answered).as("answered, of %d", questions.size()).isGreaterThan(questions.size() / 2);
            }
        }
    }

    private static String answer(com.kpiledger.query.kpi.KpiFactSource facts, KpiQuestion question) {
        try {
            return String.valueOf(new KpiAnswers(facts).answer(question, 42));
        } catch (RuntimeException refused) {
            return REFUSED + refused.getClass().getName() + ": " + refused.getMessage();
        }
    }

    private static List<KpiQuestion> questions(Instant knownAt) {
        List<KpiQuestion> questions = new ArrayList<>();
        LocalDate[][] periods = {
                {LocalDate.parse("2025-01-01"), LocalDate.parse("2026-01-01")},
                {LocalDate.parse("2025-02-10"), LocalDate.parse("2025-05-03")},
                {LocalDate.parse("2025-03-01"), LocalDate.parse("2025-04-01")},
                {LocalDate.parse("2024-01-01"), LocalDate.parse("2024-02-01")}};
        String[][] scopes = {{null, null}, {"cmp-3", null}, {null, "paid-search"}, {null, "referral"}};
        for (LocalDate[] period : periods) {
            for (String[] campaignAndChannel : scopes) {
                for (String currency : new String[]{null, "EUR", "USD"}) {
                    KpiScope scope = new KpiScope(period[0], period[1], campaignAndChannel[0], campaignAndChannel[1],
                            currency, knownAt);
                    for (GroupBy groupBy : GroupBy.values()) {
                        questions.add(new KpiQuestion("summary", scope, groupBy, false, FunnelViewKind.PERIOD));
                    }
                    questions.add(new KpiQuestion("summary", scope, GroupBy.NONE, true, FunnelViewKind.PERIOD));
                    questions.add(new KpiQuestion("monthly", scope, GroupBy.NONE, false, FunnelViewKind.PERIOD));
                    questions.add(new KpiQuestion("funnel", scope, GroupBy.NONE, false, FunnelViewKind.PERIOD));
                    questions.add(new KpiQuestion("funnel", scope, GroupBy.NONE, false, FunnelViewKind.COHORT));
                }
            }
        }
        return questions;
    }

    /** Campaigns in EUR and USD, spend and corrections, leads (some organic) moving through the funnel. */
    private static List<Recorded> ledger(Random random) {
        List<Recorded> events = new ArrayList<>();
        Instant recorded = START;
        String[] channels = {"paid-search", "social", "email"};
        for (int c = 0; c < 8; c++) {
            recorded = recorded.plusSeconds(60);
            events.add(new Recorded(new CampaignLaunchedEvent("cmp-" + c, "Campaign " + c, channels[c % 3],
                    c % 4 == 3 ? "USD" : "EUR", LocalDate.parse("2025-01-01"), "test"), recorded));
        }
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            recorded = recorded.plusSeconds(1 + random.nextInt(30_000));
            Instant business = recorded.minusSeconds(random.nextInt(40 * 86_400));
            int kind = random.nextInt(10);
            if (kind < 3) {
                int c = random.nextInt(9);
                String campaign = "cmp-" + c;
                String currency = c % 4 == 3 ? "USD" : "EUR";
                CostType type = CostType.values()[random.nextInt(CostType.values().length)];
                LocalDate day = LocalDate.ofInstant(business, java.time.ZoneOffset.UTC);
                BigDecimal amount = BigDecimal.valueOf(100 + random.nextInt(100_000), random.nextInt(3));
                if (random.nextInt(6) == 0) {
                    events.add(new Recorded(new SpendCorrectedEvent(campaign, "s" + i, amount,
                            amount.add(BigDecimal.valueOf(random.nextInt(5_000) - 2_500, 2)), currency, day, type,
                            "typo", "test"), recorded));
                } else {
                    events.add(new Recorded(new SpendRecordedEvent(campaign, "s" + i, amount, currency, day, type,
                            "test"), recorded));
                }
            } else if (kind < 6 || leads.isEmpty()) {
                String lead = "lead-" + i;
                boolean organic = random.nextInt(4) == 0;
                events.add(new Recorded(new LeadCapturedEvent(lead, organic ? null : "cmp-" + random.nextInt(9),
                        organic ? (random.nextBoolean() ? "referral" : "social") : null, business, "test"), recorded));
                leads.add(lead);
            } else {
                String lead = leads.get(random.nextInt(leads.size()));
                switch (random.nextInt(5)) {
                    case 0 -> events.add(new Recorded(new LeadQualifiedEvent(lead, Stage.MQL, business, List.of(),
                            "test"), recorded));
                    case 1 -> events.add(new Recorded(new LeadQualifiedEvent(lead, Stage.SQL, business,
                            random.nextBoolean() ? List.of(Stage.MQL) : List.of(), "test"), recorded));
                    case 2 -> events.add(new Recorded(new LeadDisqualifiedEvent(lead, "no budget", business, "test"),
                            recorded));
                    case 3 -> {
                        BigDecimal amount = BigDecimal.valueOf(1_000 + random.nextInt(90_000), 2);
                        BigDecimal margin = BigDecimal.valueOf(random.nextInt(100), 2);
                        events.add(new Recorded(new DealClosedEvent(lead, "d" + i,
                                random.nextInt(3) == 0 ? DealOutcome.LOST : DealOutcome.WON, amount,
                                random.nextInt(5) == 0 ? "USD" : "EUR", margin, amount.multiply(margin), business,
                                random.nextBoolean() ? List.of(Stage.MQL, Stage.SQL) : List.of(), "test"), recorded));
                    }
                    default -> events.add(new Recorded(new CustomerAcquiredEvent(lead, "d" + i, business, "test"),
                            recorded));
                }
            }
        }
        return events;
    }
}
