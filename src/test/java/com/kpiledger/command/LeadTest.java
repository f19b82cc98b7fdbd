package com.kpiledger.command;

import com.kpiledger.coreapi.lead.CaptureLeadCommand;
import com.kpiledger.coreapi.lead.CloseDealCommand;
import com.kpiledger.coreapi.lead.CustomerAcquiredEvent;
import com.kpiledger.coreapi.lead.DealClosedEvent;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.DisqualifyLeadCommand;
import com.kpiledger.coreapi.lead.LeadCapturedEvent;
import com.kpiledger.coreapi.lead.LeadDisqualifiedEvent;
import com.kpiledger.coreapi.lead.LeadQualifiedEvent;
import com.kpiledger.coreapi.lead.QualifyLeadCommand;
import com.kpiledger.coreapi.lead.Stage;
import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.coreapi.shared.ConflictingCommandException;
import com.kpiledger.coreapi.shared.InvalidCommandException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static com.kpiledger.command.Refusals.refusal;
import static org.hamcrest.Matchers.containsString;

/** The Lead aggregate against kpi-spec.md section 2: capture, qualification, disqualification and deals. */
class LeadTest {

    private static final String SOURCE = "test";
    private static final String LEAD_ID = "lead-7";
    private static final String CAMPAIGN_ID = "cmp-42";
    private static final String USD = "USD";

    private static final Instant CAPTURED_AT = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant MQL_AT = Instant.parse("2026-03-05T10:00:00Z");
    private static final Instant SQL_AT = Instant.parse("2026-03-12T11:00:00Z");
    private static final Instant CLOSED_AT = Instant.parse("2026-03-20T15:00:00Z");

    private static final LeadCapturedEvent CAPTURED_BY_CAMPAIGN =
            new LeadCapturedEvent(LEAD_ID, CAMPAIGN_ID, null, CAPTURED_AT, SOURCE);
    private static final LeadQualifiedEvent MQL =
            new LeadQualifiedEvent(LEAD_ID, Stage.MQL, MQL_AT, List.of(), SOURCE);
    private static final LeadQualifiedEvent SQL_AFTER_MQL =
            new LeadQualifiedEvent(LEAD_ID, Stage.SQL, SQL_AT, List.of(), SOURCE);

    private FixtureConfiguration<Lead> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Lead.class);
    }

    // --- CaptureLead ---

    @Test
    void capturingALeadFromACampaignAppliesLeadCaptured() {
        fixture.givenNoPriorActivity()
                .when(new CaptureLeadCommand(LEAD_ID, CAMPAIGN_ID, null, CAPTURED_AT, SOURCE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(CAPTURED_BY_CAMPAIGN)
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void capturingAnOrganicLeadKeepsItsChannelInLowerCase() {
        fixture.givenNoPriorActivity()
                .when(new CaptureLeadCommand(LEAD_ID, null, " Social ", CAPTURED_AT, SOURCE))
                .expectEvents(new LeadCapturedEvent(LEAD_ID, null, "social", CAPTURED_AT, SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void capturingWithBothCampaignAndChannelIsInvalid() {
        fixture.givenNoPriorActivity()
                .when(new CaptureLeadCommand(LEAD_ID, CAMPAIGN_ID, "social", CAPTURED_AT, SOURCE))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "channel"));
    }

    @Test
    void identicalCaptureRetryIsUnchanged() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(new CaptureLeadCommand(LEAD_ID, CAMPAIGN_ID, null, CAPTURED_AT, SOURCE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void organicCaptureRetryWithOtherChannelSpellingIsUnchanged() {
        fixture.given(new LeadCapturedEvent(LEAD_ID, null, "social", CAPTURED_AT, SOURCE))
                .when(new CaptureLeadCommand(LEAD_ID, null, "SOCIAL", CAPTURED_AT, SOURCE))
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void captureWithAnotherCampaignIsAConflict() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(new CaptureLeadCommand(LEAD_ID, "cmp-other", null, CAPTURED_AT, SOURCE))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "leadId"));
    }

    @Test
    void captureAtAnotherTimeIsAConflict() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(new CaptureLeadCommand(LEAD_ID, CAMPAIGN_ID, null, CAPTURED_AT.plusSeconds(1), SOURCE))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "leadId"))
                .expectExceptionMessage(containsString("already captured"));
    }

    // --- QualifyLead ---

    @Test
    void qualifyingAsMqlAppliesLeadQualifiedWithoutImpliedStages() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(qualify(Stage.MQL, MQL_AT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(MQL)
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void qualifyingAsSqlWithoutMqlImpliesMql() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(qualify(Stage.SQL, SQL_AT))
                .expectEvents(new LeadQualifiedEvent(LEAD_ID, Stage.SQL, SQL_AT, List.of(Stage.MQL), SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void qualifyingAsSqlAfterMqlImpliesNothing() {
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL)
                .when(qualify(Stage.SQL, SQL_AT))
                .expectEvents(SQL_AFTER_MQL)
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void sameStageAtTheSameTimeIsUnchanged() {
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL)
                .when(qualify(Stage.MQL, MQL_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void sameStageAtAnotherTimeIsAConflict() {
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL)
                .when(qualify(Stage.MQL, MQL_AT.plusSeconds(60)))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "qualifiedAt"));
    }

    @Test
    void aStageThatWasOnlyImpliedMayStillBeReportedLater() {
        Instant realMqlAt = SQL_AT.minusSeconds(3600);
        fixture.given(CAPTURED_BY_CAMPAIGN,
                        new LeadQualifiedEvent(LEAD_ID, Stage.SQL, SQL_AT, List.of(Stage.MQL), SOURCE))
                .when(qualify(Stage.MQL, realMqlAt))
                .expectEvents(new LeadQualifiedEvent(LEAD_ID, Stage.MQL, realMqlAt, List.of(), SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void sqlImpliedByADealMayStillBeReportedLaterAndThenImpliesMqlAtItsEarlierTime() {
        fixture.given(CAPTURED_BY_CAMPAIGN, won("deal-1", "100.00", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .when(qualify(Stage.SQL, SQL_AT))
                .expectEvents(new LeadQualifiedEvent(LEAD_ID, Stage.SQL, SQL_AT, List.of(Stage.MQL), SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void lateSqlDatedBeforeTheReportedMqlImpliesMqlAtTheSqlTime() {
        // out of order: MQL reported for the 12th, then SQL for the 5th arrives; the lead cannot be SQL before MQL
        fixture.given(CAPTURED_BY_CAMPAIGN, new LeadQualifiedEvent(LEAD_ID, Stage.MQL, SQL_AT, List.of(), SOURCE))
                .when(qualify(Stage.SQL, MQL_AT))
                .expectEvents(new LeadQualifiedEvent(LEAD_ID, Stage.SQL, MQL_AT, List.of(Stage.MQL), SOURCE));
    }

    @Test
    void lateDealDatedBeforeTheReportedStagesImpliesThemAtTheCloseTime() {
        Instant earlyClose = MQL_AT.minusSeconds(3600);
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL, SQL_AFTER_MQL)
                .when(closeDeal("deal-1", DealOutcome.LOST, "0", USD, "0", earlyClose))
                .expectEvents(new DealClosedEvent(LEAD_ID, "deal-1", DealOutcome.LOST, new BigDecimal("0"), USD,
                        new BigDecimal("0"), earlyClose, List.of(Stage.MQL, Stage.SQL), SOURCE));
    }

    @Test
    void qualifyingBeforeTheCaptureIsInvalid() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(qualify(Stage.MQL, CAPTURED_AT.minusSeconds(1)))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "qualifiedAt"));
    }

    @Test
    void qualifyingAnUnknownLeadIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(qualify(Stage.MQL, MQL_AT))
                .expectNoEvents()
                .expectException(AggregateNotFoundException.class);
    }

    // --- DisqualifyLead ---

    @Test
    void disqualifyingAppliesLeadDisqualified() {
        Instant at = Instant.parse("2026-03-08T08:00:00Z");
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL)
                .when(new DisqualifyLeadCommand(LEAD_ID, "no budget", at, SOURCE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new LeadDisqualifiedEvent(LEAD_ID, "no budget", at, SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void identicalDisqualificationRetryIsUnchanged() {
        Instant at = Instant.parse("2026-03-08T08:00:00Z");
        fixture.given(CAPTURED_BY_CAMPAIGN, new LeadDisqualifiedEvent(LEAD_ID, "no budget", at, SOURCE))
                .when(new DisqualifyLeadCommand(LEAD_ID, "no budget", at, SOURCE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void disqualificationAtAnotherTimeIsAConflict() {
        Instant at = Instant.parse("2026-03-08T08:00:00Z");
        fixture.given(CAPTURED_BY_CAMPAIGN, new LeadDisqualifiedEvent(LEAD_ID, "no budget", at, SOURCE))
                .when(new DisqualifyLeadCommand(LEAD_ID, "no budget", at.plusSeconds(60), SOURCE))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "disqualifiedAt"));
    }

    @Test
    void disqualificationWithAnotherReasonIsAConflict() {
        Instant at = Instant.parse("2026-03-08T08:00:00Z");
        fixture.given(CAPTURED_BY_CAMPAIGN, new LeadDisqualifiedEvent(LEAD_ID, "no budget", at, SOURCE))
                .when(new DisqualifyLeadCommand(LEAD_ID, "competitor", at, SOURCE))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "disqualifiedAt"));
    }

    @Test
    void disqualifyingBeforeTheCaptureIsInvalid() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(new DisqualifyLeadCommand(LEAD_ID, "spam", CAPTURED_AT.minusSeconds(1), SOURCE))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "disqualifiedAt"));
    }

    // --- CloseDeal ---

    @Test
    void firstWonDealFromAPlainLeadImpliesMqlAndSqlAndMakesACustomer() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(closeDeal("deal-1", DealOutcome.WON, "200000", USD, "0.35", CLOSED_AT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(
                        won("deal-1", "200000", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void wonDealAfterSqlImpliesNoStage() {
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL, SQL_AFTER_MQL)
                .when(closeDeal("deal-1", DealOutcome.WON, "200000", USD, "0.35", CLOSED_AT))
                .expectEvents(
                        won("deal-1", "200000", CLOSED_AT, List.of()),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE));
    }

    @Test
    void wonDealAfterMqlOnlyImpliesSql() {
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL)
                .when(closeDeal("deal-1", DealOutcome.WON, "200000", USD, "0.35", CLOSED_AT))
                .expectEvents(
                        won("deal-1", "200000", CLOSED_AT, List.of(Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE));
    }

    @Test
    void secondWonDealIsACrossSellWithoutANewCustomer() {
        Instant later = CLOSED_AT.plusSeconds(86_400 * 30L);
        fixture.given(CAPTURED_BY_CAMPAIGN, won("deal-1", "200000", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .when(closeDeal("deal-2", DealOutcome.WON, "150000", USD, "0.40", later))
                .expectEvents(new DealClosedEvent(LEAD_ID, "deal-2", DealOutcome.WON, amount("150000"), USD,
                        amount("0.40"), later, List.of(), SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void lostDealMakesNoCustomer() {
        fixture.given(CAPTURED_BY_CAMPAIGN, MQL, SQL_AFTER_MQL)
                .when(closeDeal("deal-1", DealOutcome.LOST, "0", USD, "0", CLOSED_AT))
                .expectEvents(new DealClosedEvent(LEAD_ID, "deal-1", DealOutcome.LOST, amount("0"), USD,
                        amount("0"), CLOSED_AT, List.of(), SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void wonDealAfterALostOneMakesACustomer() {
        Instant later = CLOSED_AT.plusSeconds(3600);
        fixture.given(CAPTURED_BY_CAMPAIGN, new DealClosedEvent(LEAD_ID, "deal-1", DealOutcome.LOST, amount("0"),
                        USD, amount("0"), CLOSED_AT, List.of(Stage.MQL, Stage.SQL), SOURCE))
                .when(closeDeal("deal-2", DealOutcome.WON, "500", USD, "0.5", later))
                .expectEvents(
                        new DealClosedEvent(LEAD_ID, "deal-2", DealOutcome.WON, amount("500"), USD, amount("0.5"),
                                later, List.of(), SOURCE),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-2", later, SOURCE));
    }

    @Test
    void lateWonDealClosedBeforeTheCustomerSinceMovesTheAcquisitionEarlier() {
        Instant earlier = CLOSED_AT.minusSeconds(86_400 * 5L);
        fixture.given(CAPTURED_BY_CAMPAIGN, won("deal-1", "200000", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .when(closeDeal("deal-0", DealOutcome.WON, "1000", USD, "0.30", earlier))
                .expectEvents(
                        new DealClosedEvent(LEAD_ID, "deal-0", DealOutcome.WON, amount("1000"), USD, amount("0.30"),
                                earlier, List.of(Stage.MQL, Stage.SQL), SOURCE),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-0", earlier, SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void identicalDealRetryIsUnchangedComparingAmountsByValue() {
        fixture.given(CAPTURED_BY_CAMPAIGN, won("deal-1", "100", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .when(closeDeal("deal-1", DealOutcome.WON, "100.00", USD, "0.350", CLOSED_AT))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void sameDealIdWithAnotherAmountIsAConflict() {
        fixture.given(CAPTURED_BY_CAMPAIGN, won("deal-1", "100", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .when(closeDeal("deal-1", DealOutcome.WON, "101", USD, "0.35", CLOSED_AT))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "dealId"));
    }

    @Test
    void sameDealIdWithAnotherOutcomeIsAConflict() {
        fixture.given(CAPTURED_BY_CAMPAIGN, won("deal-1", "100", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .when(closeDeal("deal-1", DealOutcome.LOST, "100", USD, "0.35", CLOSED_AT))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "dealId"));
    }

    @Test
    void dealInAnotherCurrencyThanTheEarlierDealsIsInvalid() {
        fixture.given(CAPTURED_BY_CAMPAIGN, won("deal-1", "100", CLOSED_AT, List.of(Stage.MQL, Stage.SQL)),
                        new CustomerAcquiredEvent(LEAD_ID, "deal-1", CLOSED_AT, SOURCE))
                .when(closeDeal("deal-2", DealOutcome.WON, "100", "EUR", "0.35", CLOSED_AT.plusSeconds(60)))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "currency"))
                .expectExceptionMessage(containsString(USD));
    }

    @Test
    void grossMarginAboveOneIsInvalid() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(closeDeal("deal-1", DealOutcome.WON, "100", USD, "1.01", CLOSED_AT))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "grossMargin"));
    }

    @Test
    void negativeGrossMarginIsInvalid() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(closeDeal("deal-1", DealOutcome.WON, "100", USD, "-0.01", CLOSED_AT))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "grossMargin"));
    }

    @Test
    void negativeDealAmountIsInvalid() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(closeDeal("deal-1", DealOutcome.WON, "-1", USD, "0.35", CLOSED_AT))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "amount"));
    }

    @Test
    void closingADealBeforeTheCaptureIsInvalid() {
        fixture.given(CAPTURED_BY_CAMPAIGN)
                .when(closeDeal("deal-1", DealOutcome.WON, "100", USD, "0.35", CAPTURED_AT.minusSeconds(1)))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "closedAt"));
    }

    // --- helpers ---

    private static QualifyLeadCommand qualify(Stage stage, Instant at) {
        return new QualifyLeadCommand(LEAD_ID, stage, at, SOURCE);
    }

    private static CloseDealCommand closeDeal(String dealId, DealOutcome outcome, String amount, String currency,
                                              String grossMargin, Instant closedAt) {
        return new CloseDealCommand(LEAD_ID, dealId, outcome, amount(amount), currency, amount(grossMargin), closedAt,
                SOURCE);
    }

    /** A WON deal in USD at 35 % gross margin. */
    private static DealClosedEvent won(String dealId, String amount, Instant closedAt, List<Stage> impliedStages) {
        return new DealClosedEvent(LEAD_ID, dealId, DealOutcome.WON, amount(amount), USD, amount("0.35"), closedAt,
                impliedStages, SOURCE);
    }

    private static BigDecimal amount(String value) {
        return new BigDecimal(value);
    }

}
