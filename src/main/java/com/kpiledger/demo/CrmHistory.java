package com.kpiledger.demo;

import com.kpiledger.coreapi.campaign.CorrectSpendCommand;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.EndCampaignCommand;
import com.kpiledger.coreapi.campaign.LaunchCampaignCommand;
import com.kpiledger.coreapi.campaign.RecordSpendCommand;
import com.kpiledger.coreapi.lead.CaptureLeadCommand;
import com.kpiledger.coreapi.lead.CloseDealCommand;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.DisqualifyLeadCommand;
import com.kpiledger.coreapi.lead.QualifyLeadCommand;
import com.kpiledger.coreapi.lead.Stage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One year (2025) of a CRM's history as the commands it would send, in the order it would deliver them. Same tier and
 * seed, same commands in the same order: one {@link Random} is drawn from in a fixed order and ties in delivery time
 * are broken by creation order.
 *
 * <p>It simulates day by day and keeps only what is still to be delivered (a lead's later stages, late invoices,
 * corrections), so tier L streams in a few megabytes. What it models, with the rates from the domain research:
 * <ul>
 *     <li>campaigns over six channels, mostly EUR and some USD, launched through the year, most of them ended;</li>
 *     <li>spend lines per active campaign and day (80% MEDIA, the rest invoices, some SALES), delivered by the next
 *     night's sync; 5% arrive 2–30 days late (also after the campaign's end), 2% are corrected later (a fifth of those
 *     to 0, a credit note), 1% are delivered twice (a retry);</li>
 *     <li>leads, 85% from an active campaign and the rest organic; 35% become MQL, 30% of MQLs become SQL; of SQLs
 *     45% close WON, 40% LOST; 20% of customers buy a second time (cross-sell); unqualified and lost leads are
 *     often disqualified;</li>
 *     <li>out of order: 10% of SQL leads report SQL before their (earlier) MQL, 5% of deals are closed without SQL
 *     ever being reported, 3% of lead facts arrive days late, 10% of captures arrive by a later sync.</li>
 * </ul>
 * Every command is valid when delivered in this order: a lead's facts come after its capture, spend and its
 * corrections after the campaign's launch and the original line.
 */
public final class CrmHistory implements Iterator<Object> {

    public static final LocalDate FIRST_DAY = LocalDate.of(2025, 1, 1);
    public static final int DAYS = 365;
    public static final String SOURCE = "crm-generator";

    private static final List<String> CHANNELS = List.of("paid-search", "social", "email", "events", "display", "partner");
    private static final List<String> ORGANIC_CHANNELS = List.of("organic-search", "referral", "direct");
    private static final List<String> DISQUALIFICATION_REASONS =
            List.of("no budget", "wrong segment", "unresponsive", "competitor chosen", "duplicate contact");

    private final HistoryTier tier;
    private final String idPrefix;
    private final Random random;
    private final List<CampaignPlan> campaigns = new ArrayList<>();
    private final int[] activeCampaignsByDay = new int[DAYS];
    private final PriorityQueue<Delivery> pending =
            new PriorityQueue<>(Comparator.comparing(Delivery::at).thenComparingLong(Delivery::order));
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private long order;
    private int nextDay;
    private long leads;
    private long spendLines;
    private long deals;

    private record CampaignPlan(String id, String channel, String currency, int launchDay, int endDay) {
        boolean activeOn(int day) {
            return launchDay <= day && day < endDay;
        }
    }

    private record Delivery(Instant at, long order, Object command) {
    }

    public CrmHistory(HistoryTier tier, long seed) {
        this(tier, seed, "");
    }

    /** With every CRM id prefixed, so that several histories can share one store (the benchmark's phases). */
    public CrmHistory(HistoryTier tier, long seed, String idPrefix) {
        this.tier = tier;
        this.random = new Random(seed);
        this.idPrefix = idPrefix;
        planCampaigns();
    }

    public static Stream<Object> stream(HistoryTier tier, long seed) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new CrmHistory(tier, seed),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && (nextDay <= DAYS || !pending.isEmpty())) {
            if (nextDay < DAYS) {
                simulate(nextDay);
            }
            Instant endOfDay = startOf(nextDay + 1);
            // after the last day, everything still pending (late invoices, next year's closes) is delivered
            while (!pending.isEmpty() && (nextDay >= DAYS || pending.peek().at().isBefore(endOfDay))) {
                ready.add(pending.poll().command());
            }
            nextDay++;
        }
        return !ready.isEmpty();
    }

    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private void planCampaigns() {
        for (int i = 0; i < tier.campaigns; i++) {
            // a fifth run from the first day, so that early leads have campaigns to come from
            int launchDay = i < tier.campaigns / 5 ? 0 : random.nextInt(300);
            int endDay = launchDay + 60 + random.nextInt(306);
            String currency = random.nextInt(10) == 0 ? "USD" : "EUR";
            CampaignPlan plan = new CampaignPlan(idPrefix + "cmp-%05d".formatted(i + 1), pick(CHANNELS), currency, launchDay, endDay);
            campaigns.add(plan);
            for (int day = launchDay; day < Math.min(endDay, DAYS); day++) {
                activeCampaignsByDay[day]++;
            }
        }
    }

    private void simulate(int day) {
        List<CampaignPlan> active = new ArrayList<>();
        for (CampaignPlan campaign : campaigns) {
            if (campaign.launchDay() == day) {
                // in the first minute of its day, before any lead can name it
                deliver(startOf(day).plusSeconds(random.nextInt(60)),
                        new LaunchCampaignCommand(campaign.id(), "Campaign " + campaign.id(), campaign.channel(),
                                campaign.currency(), date(day), SOURCE));
            }
            if (campaign.endDay() == day) {
                deliver(startOf(day).plus(Duration.ofMinutes(540 + random.nextInt(60))),
                        new EndCampaignCommand(campaign.id(), date(day), SOURCE));
            }
            if (campaign.activeOn(day)) {
                active.add(campaign);
            }
        }
        double spendLinesPerCampaign = (double) tier.spendLines / DAYS / Math.max(1, activeCampaignsByDay[day]);
        for (CampaignPlan campaign : active) {
            int lines = occurrences(spendLinesPerCampaign);
            for (int line = 0; line < lines; line++) {
                spend(campaign, day);
            }
        }
        int newLeads = occurrences((double) tier.leads / DAYS);
        for (int i = 0; i < newLeads; i++) {
            CampaignPlan source = active.isEmpty() || random.nextInt(100) < 15 ? null : active.get(random.nextInt(active.size()));
            lead(source, startOf(day).plusSeconds(120 + random.nextInt(86_400 - 120)));
        }
    }

    private void spend(CampaignPlan campaign, int day) {
        String spendId = idPrefix + "sp-%08d".formatted(++spendLines);
        CostType costType = costType();
        long cents = costType == CostType.MEDIA ? 5_000 + random.nextInt(195_000) : 20_000 + random.nextInt(780_000);
        BigDecimal amount = BigDecimal.valueOf(cents, 2);
        RecordSpendCommand record = new RecordSpendCommand(campaign.id(), spendId, amount, campaign.currency(), date(day),
                costType, SOURCE);
        // the ad platforms' nightly sync; invoices sometimes weeks later
        Instant delivered = startOf(day + 1).plus(Duration.ofMinutes(120 + random.nextInt(120)));
        if (random.nextInt(100) < 5) {
            delivered = delivered.plus(Duration.ofDays(2 + random.nextInt(29)));
        }
        deliver(delivered, record);
        if (random.nextInt(100) < 1) {
            deliver(delivered.plus(Duration.ofDays(1 + random.nextInt(3))), record);
        }
        if (random.nextInt(100) < 2) {
            BigDecimal corrected = random.nextInt(5) == 0 ? BigDecimal.ZERO.setScale(2)
                    : amount.multiply(correctionFactor()).setScale(2, java.math.RoundingMode.HALF_EVEN);
            deliver(delivered.plus(Duration.ofDays(3 + random.nextInt(18))),
                    new CorrectSpendCommand(campaign.id(), spendId, corrected,
                            corrected.signum() == 0 ? "credit note: line cancelled" : "invoice corrected", SOURCE));
        }
    }

    private void lead(CampaignPlan campaign, Instant capturedAt) {
        String leadId = idPrefix + "ld-%07d".formatted(++leads);
        Instant captureDelivered = capturedAt.plusSeconds(1 + random.nextInt(600));
        if (random.nextInt(100) < 10) {
            captureDelivered = captureDelivered.plus(Duration.ofHours(6 + random.nextInt(42)));
        }
        deliver(captureDelivered, new CaptureLeadCommand(leadId, campaign == null ? null : campaign.id(),
                campaign == null ? pick(ORGANIC_CHANNELS) : null, capturedAt, SOURCE));
        LeadFacts facts = new LeadFacts(leadId, captureDelivered);

        if (random.nextInt(100) >= 35) {
            if (random.nextInt(100) < 30) {
                facts.disqualify(capturedAt.plus(hoursBetween(24, 45 * 24)));
            }
            return;
        }
        Instant mqlAt = capturedAt.plus(hoursBetween(12, 14 * 24));
        if (random.nextInt(100) >= 30) {
            facts.qualify(Stage.MQL, mqlAt);
            if (random.nextInt(100) < 50) {
                facts.disqualify(mqlAt.plus(hoursBetween(48, 40 * 24)));
            }
            return;
        }
        Instant sqlAt = mqlAt.plus(hoursBetween(24, 30 * 24));
        boolean sqlReported = random.nextInt(100) >= 5;
        if (sqlReported && random.nextInt(100) < 10) {
            // the sales tool syncs before the marketing tool: SQL first, the earlier MQL after it
            Instant sqlDelivered = facts.qualify(Stage.SQL, sqlAt);
            facts.deliverAfter(sqlDelivered.plus(hoursBetween(1, 48)), new QualifyLeadCommand(leadId, Stage.MQL, mqlAt, SOURCE));
        } else {
            facts.qualify(Stage.MQL, mqlAt);
            if (sqlReported) {
                facts.qualify(Stage.SQL, sqlAt);
            }
        }
        int outcome = random.nextInt(100);
        Instant closedAt = sqlAt.plus(hoursBetween(7 * 24, 90 * 24));
        String currency = campaign == null ? "EUR" : campaign.currency();
        if (outcome < 45) {
            facts.closeDeal(DealOutcome.WON, closedAt, currency);
            if (random.nextInt(100) < 20) {
                facts.closeDeal(random.nextInt(100) < 70 ? DealOutcome.WON : DealOutcome.LOST,
                        closedAt.plus(hoursBetween(30 * 24, 180 * 24)), currency);
            }
        } else if (outcome < 85) {
            facts.closeDeal(DealOutcome.LOST, closedAt, currency);
            if (random.nextInt(100) < 30) {
                facts.disqualify(closedAt.plus(hoursBetween(24, 10 * 24)));
            }
        } else if (random.nextInt(100) < 50) {
            facts.disqualify(sqlAt.plus(hoursBetween(7 * 24, 60 * 24)));
        }
    }

    /** The later facts of one lead, each delivered after the lead's capture was (the service refuses them before). */
    private final class LeadFacts {
        private final String leadId;
        private final Instant captureDelivered;

        LeadFacts(String leadId, Instant captureDelivered) {
            this.leadId = leadId;
            this.captureDelivered = captureDelivered;
        }

        Instant qualify(Stage stage, Instant at) {
            return deliverAfter(deliveryOf(at), new QualifyLeadCommand(leadId, stage, at, SOURCE));
        }

        void disqualify(Instant at) {
            deliverAfter(deliveryOf(at), new DisqualifyLeadCommand(leadId, pick(DISQUALIFICATION_REASONS), at, SOURCE));
        }

        void closeDeal(DealOutcome outcome, Instant at, String currency) {
            // deal sizes spread over two orders of magnitude, most of them small
            double size = Math.pow(random.nextDouble(), 2);
            BigDecimal amount = BigDecimal.valueOf(500_000 + Math.round(size * 24_500_000), 2);
            BigDecimal margin = BigDecimal.valueOf(20 + random.nextInt(41), 2);
            deliverAfter(deliveryOf(at), new CloseDealCommand(leadId, idPrefix + "dl-%07d".formatted(++deals), outcome, amount,
                    currency, margin, at, SOURCE));
        }

        Instant deliverAfter(Instant at, Object command) {
            Instant delivered = at.isAfter(captureDelivered) ? at : captureDelivered.plusSeconds(1);
            deliver(delivered, command);
            return delivered;
        }

        private Instant deliveryOf(Instant businessTime) {
            Instant delivered = businessTime.plusSeconds(1 + random.nextInt(900));
            return random.nextInt(100) < 3 ? delivered.plus(Duration.ofDays(1 + random.nextInt(10))) : delivered;
        }
    }

    private void deliver(Instant at, Object command) {
        pending.add(new Delivery(at, order++, command));
    }

    private CostType costType() {
        int roll = random.nextInt(100);
        if (roll < 80) {
            return CostType.MEDIA;
        }
        if (roll < 85) {
            return CostType.CONTENT;
        }
        if (roll < 89) {
            return CostType.AGENCY;
        }
        if (roll < 92) {
            return CostType.TOOLING;
        }
        if (roll < 97) {
            return CostType.SALES;
        }
        return roll < 99 ? CostType.PERSONNEL : CostType.OTHER;
    }

    /** 0.80–0.98 or 1.02–1.20: a correction always changes the amount, otherwise it would be an identical retry. */
    private BigDecimal correctionFactor() {
        int percent = 2 + random.nextInt(19);
        return BigDecimal.valueOf(random.nextBoolean() ? 100 + percent : 100 - percent, 2);
    }

    /** A whole number of occurrences with the given mean: its integer part, plus one with its fraction's chance. */
    private int occurrences(double mean) {
        int whole = (int) mean;
        return whole + (random.nextDouble() < mean - whole ? 1 : 0);
    }

    private Duration hoursBetween(int min, int max) {
        return Duration.ofMinutes(60L * min + random.nextInt(60 * (max - min)));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static LocalDate date(int day) {
        return FIRST_DAY.plusDays(day);
    }

    private static Instant startOf(int day) {
        return date(day).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
