package com.kpiledger.demo;

import com.kpiledger.coreapi.campaign.CorrectSpendCommand;
import com.kpiledger.coreapi.campaign.EndCampaignCommand;
import com.kpiledger.coreapi.campaign.LaunchCampaignCommand;
import com.kpiledger.coreapi.campaign.RecordSpendCommand;
import com.kpiledger.coreapi.lead.CaptureLeadCommand;
import com.kpiledger.coreapi.lead.CloseDealCommand;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.DisqualifyLeadCommand;
import com.kpiledger.coreapi.lead.QualifyLeadCommand;
import com.kpiledger.coreapi.lead.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated history is reproducible, valid in its delivery order, and shaped like a real CRM's year. */
class CrmHistoryTest {

    private static final long SEED = 42;
    private static Tally tierS;

    @BeforeAll
    static void tallyTierS() {
        tierS = new Tally();
        CrmHistory.stream(HistoryTier.S, SEED).forEach(tierS::add);
    }

    @Test
    void theSameSeedGivesTheSameCommandsInTheSameOrder() {
        Iterator<Object> first = new CrmHistory(HistoryTier.S, SEED);
        Iterator<Object> second = new CrmHistory(HistoryTier.S, SEED);
        long compared = 0;
        while (first.hasNext()) {
            assertThat(second.hasNext()).isTrue();
            assertThat(second.next()).isEqualTo(first.next());
            compared++;
        }
        assertThat(second.hasNext()).isFalse();
        assertThat(compared).isEqualTo(tierS.commands);
    }

    @Test
    void anotherSeedGivesAnotherHistory() {
        List<Object> seeded = CrmHistory.stream(HistoryTier.S, SEED).limit(500).toList();
        List<Object> other = CrmHistory.stream(HistoryTier.S, SEED + 1).limit(500).toList();
        assertThat(other).isNotEqualTo(seeded);
    }

    @Test
    void tierSHasTheResearchedSizes() {
        assertThat(tierS.leads.size()).isBetween(4_750, 5_250);
        assertThat(tierS.spendLines.size()).isBetween(9_000, 11_000);
        assertThat(tierS.deals).isBetween(400L, 600L);
        assertThat(tierS.campaigns.size()).isEqualTo(50);
        // about 25k events: commands minus identical retries, plus a CustomerAcquired per first WON deal
        assertThat(tierS.commands - tierS.retries + tierS.customers.size()).isBetween(20_000L, 30_000L);
    }

    @Test
    void theFunnelConvertsAtRealisticRates() {
        double mqlPerLead = (double) tierS.mqls.size() / tierS.leads.size();
        double sqlPerMql = (double) tierS.sqls.size() / tierS.mqls.size();
        double customersPerLead = (double) tierS.customers.size() / tierS.leads.size();
        double wonPerDeal = (double) tierS.wonDeals / tierS.deals;
        assertThat(mqlPerLead).as("MQL per lead").isBetween(0.20, 0.40);
        assertThat(sqlPerMql).as("SQL per MQL").isBetween(0.13, 0.40);
        assertThat(customersPerLead).as("customers per lead").isBetween(0.02, 0.07);
        assertThat(wonPerDeal).as("won per deal").isBetween(0.35, 0.70);
        assertThat(tierS.disqualified.size()).as("disqualified leads").isBetween(tierS.leads.size() / 10, tierS.leads.size() / 2);
        assertThat(tierS.organicLeads).as("organic leads").isBetween(tierS.leads.size() / 20L, tierS.leads.size() / 4L);
    }

    @Test
    void itHasTheMessOfARealCrm() {
        assertThat(tierS.corrections).as("spend corrections").isGreaterThan(50);
        assertThat(tierS.retries).as("identical retries").isGreaterThan(20);
        assertThat(tierS.crossSells).as("customers with a second deal").isGreaterThan(5);
        assertThat(tierS.sqlBeforeMql).as("SQL delivered before its earlier MQL").isGreaterThan(5);
        assertThat(tierS.dealsWithoutReportedSql).as("deals closed without SQL reported").isGreaterThan(2);
        assertThat(tierS.spendAfterCampaignEnd).as("late invoices after the campaign ended").isGreaterThan(5);
        assertThat(tierS.currencies).containsExactlyInAnyOrder("EUR", "USD");
        assertThat(tierS.channels).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void everyCommandIsValidInDeliveryOrder() {
        assertThat(tierS.violations).isEmpty();
    }

    /** Counts what a history holds and notes every command the service would refuse in this order. */
    private static final class Tally {
        long commands;
        long retries;
        long deals;
        long wonDeals;
        long corrections;
        long crossSells;
        long sqlBeforeMql;
        long dealsWithoutReportedSql;
        long spendAfterCampaignEnd;
        long organicLeads;
        final Map<String, String> campaigns = new HashMap<>();
        final Map<String, LocalDate> campaignEnds = new HashMap<>();
        final Map<String, RecordSpendCommand> spendLines = new HashMap<>();
        final Map<String, Instant> leads = new HashMap<>();
        final Set<String> mqls = new HashSet<>();
        final Set<String> sqls = new HashSet<>();
        final Set<String> disqualified = new HashSet<>();
        final Set<String> customers = new HashSet<>();
        final Map<String, Integer> dealsPerLead = new HashMap<>();
        final Set<String> currencies = new HashSet<>();
        final Set<String> channels = new HashSet<>();
        final List<String> violations = new java.util.ArrayList<>();

        void add(Object command) {
            commands++;
        if (command instanceof LaunchCampaignCommand launch) {
                campaigns.put(launch.campaignId(), launch.currency());
                currencies.add(launch.currency());
                channels.add(launch.channel());
        } else if (command instanceof EndCampaignCommand end) {
                requireCampaign(end.campaignId(), end);
                campaignEnds.put(end.campaignId(), end.endedOn());
        } else if (command instanceof RecordSpendCommand spend) {
                requireCampaign(spend.campaignId(), spend);
                if (!spend.currency().equals(campaigns.get(spend.campaignId()))) {
                    violations.add("currency of " + spend);
                }
                RecordSpendCommand earlier = spendLines.put(spend.spendId(), spend);
                if (earlier != null) {
                    retries++;
                    if (!earlier.equals(spend)) {
                        violations.add("conflicting retry " + spend);
                    }
                }
                if (campaignEnds.containsKey(spend.campaignId())) {
                    spendAfterCampaignEnd++;
                }
        } else if (command instanceof CorrectSpendCommand correction) {
                corrections++;
                RecordSpendCommand line = spendLines.get(correction.spendId());
                if (line == null || !line.campaignId().equals(correction.campaignId())) {
                    violations.add("correction before its line " + correction);
                } else if (line.amount().compareTo(correction.amount()) == 0) {
                    violations.add("correction to the same amount " + correction);
                }
        } else if (command instanceof CaptureLeadCommand capture) {
                leads.put(capture.leadId(), capture.capturedAt());
                if (capture.campaignId() == null) {
                    organicLeads++;
                } else {
                    requireCampaign(capture.campaignId(), capture);
                }
        } else if (command instanceof QualifyLeadCommand qualify) {
                requireLead(qualify.leadId(), qualify.qualifiedAt(), qualify);
                if (qualify.stage() == Stage.MQL) {
                    mqls.add(qualify.leadId());
                    if (sqls.contains(qualify.leadId())) {
                        sqlBeforeMql++;
                    }
                } else {
                    mqls.add(qualify.leadId());
                    sqls.add(qualify.leadId());
                }
        } else if (command instanceof DisqualifyLeadCommand disqualify) {
                requireLead(disqualify.leadId(), disqualify.disqualifiedAt(), disqualify);
                disqualified.add(disqualify.leadId());
        } else if (command instanceof CloseDealCommand deal) {
                requireLead(deal.leadId(), deal.closedAt(), deal);
                deals++;
                if (!sqls.contains(deal.leadId())) {
                    dealsWithoutReportedSql++;
                    mqls.add(deal.leadId());
                    sqls.add(deal.leadId());
                }
                if (deal.outcome() == DealOutcome.WON) {
                    wonDeals++;
                    customers.add(deal.leadId());
                }
                if (dealsPerLead.merge(deal.leadId(), 1, Integer::sum) == 2) {
                    crossSells++;
                }
                if (deal.grossMargin().signum() < 0 || deal.grossMargin().compareTo(java.math.BigDecimal.ONE) > 0) {
                    violations.add("margin of " + deal);
                }
            } else {
                violations.add("unexpected command " + command);
            }
        }

        private void requireCampaign(String campaignId, Object command) {
            if (!campaigns.containsKey(campaignId)) {
                violations.add("before its campaign was launched: " + command);
            }
        }

        private void requireLead(String leadId, Instant businessTime, Object command) {
            Instant capturedAt = leads.get(leadId);
            if (capturedAt == null) {
                violations.add("before its lead was captured: " + command);
            } else if (businessTime.isBefore(capturedAt)) {
                violations.add("before the capture time: " + command);
            }
        }
    }
}
