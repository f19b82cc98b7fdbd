package com.kpiledger.command;

import com.kpiledger.coreapi.campaign.CampaignEndedEvent;
import com.kpiledger.coreapi.campaign.CampaignLaunchedEvent;
import com.kpiledger.coreapi.campaign.CorrectSpendCommand;
import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.campaign.EndCampaignCommand;
import com.kpiledger.coreapi.campaign.LaunchCampaignCommand;
import com.kpiledger.coreapi.campaign.RecordSpendCommand;
import com.kpiledger.coreapi.campaign.SpendCorrectedEvent;
import com.kpiledger.coreapi.campaign.SpendRecordedEvent;
import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.coreapi.shared.ConflictingCommandException;
import com.kpiledger.coreapi.shared.InvalidCommandException;
import com.kpiledger.coreapi.shared.UnknownEntityException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;

import static com.kpiledger.command.Refusals.refusal;
import static org.hamcrest.Matchers.containsString;

/** The Campaign aggregate against kpi-spec.md section 2: every command, its idempotency and its refusals. */
class CampaignTest {

    private static final String SOURCE = "test";
    private static final String CAMPAIGN_ID = "cmp-42";
    private static final String NAME = "Spring launch";
    private static final String CHANNEL = "paid-search";
    private static final String EUR = "EUR";
    private static final LocalDate LAUNCHED_ON = LocalDate.of(2026, 3, 1);
    private static final LocalDate SPENT_ON = LocalDate.of(2026, 3, 10);

    private static final CampaignLaunchedEvent LAUNCHED =
            new CampaignLaunchedEvent(CAMPAIGN_ID, NAME, CHANNEL, EUR, LAUNCHED_ON, SOURCE);
    private static final SpendRecordedEvent SPEND_RECORDED =
            new SpendRecordedEvent(CAMPAIGN_ID, "sp-1", amount("1000.00"), EUR, SPENT_ON, CostType.MEDIA, SOURCE);

    private FixtureConfiguration<Campaign> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Campaign.class);
    }

    // --- LaunchCampaign ---

    @Test
    void launchingANewCampaignAppliesCampaignLaunched() {
        fixture.givenNoPriorActivity()
                .when(launch(NAME, CHANNEL, EUR, LAUNCHED_ON))
                .expectSuccessfulHandlerExecution()
                .expectEvents(LAUNCHED)
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void launchNormalisesTheChannelToLowerCase() {
        fixture.givenNoPriorActivity()
                .when(launch(NAME, "  Paid-SEARCH ", EUR, LAUNCHED_ON))
                .expectEvents(LAUNCHED)
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void identicalRelaunchIsUnchangedAndAppliesNothing() {
        fixture.given(LAUNCHED)
                .when(launch(NAME, CHANNEL, EUR, LAUNCHED_ON))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void relaunchThatDiffersOnlyInChannelSpellingIsUnchanged() {
        fixture.given(LAUNCHED)
                .when(launch(NAME, "Paid-Search", EUR, LAUNCHED_ON))
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void relaunchWithADifferentNameIsAConflict() {
        fixture.given(LAUNCHED)
                .when(launch("Another name", CHANNEL, EUR, LAUNCHED_ON))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "campaignId"));
    }

    @Test
    void relaunchWithADifferentChannelIsAConflict() {
        fixture.given(LAUNCHED)
                .when(launch(NAME, "social", EUR, LAUNCHED_ON))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "campaignId"));
    }

    @Test
    void relaunchWithADifferentCurrencyIsAConflict() {
        fixture.given(LAUNCHED)
                .when(launch(NAME, CHANNEL, "USD", LAUNCHED_ON))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "campaignId"));
    }

    @Test
    void relaunchWithADifferentLaunchDateIsAConflict() {
        fixture.given(LAUNCHED)
                .when(launch(NAME, CHANNEL, EUR, LAUNCHED_ON.plusDays(1)))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "campaignId"))
                .expectExceptionMessage(containsString("already launched"));
    }

    // --- RecordSpend ---

    @Test
    void recordingSpendAppliesSpendRecorded() {
        fixture.given(LAUNCHED)
                .when(recordSpend("sp-1", "1000.00", EUR, SPENT_ON, CostType.MEDIA))
                .expectSuccessfulHandlerExecution()
                .expectEvents(SPEND_RECORDED)
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void spendMayStillBeRecordedAfterTheCampaignEnded() {
        LocalDate endedOn = LocalDate.of(2026, 3, 31);
        LocalDate invoiceDate = LocalDate.of(2026, 4, 15);
        fixture.given(LAUNCHED, new CampaignEndedEvent(CAMPAIGN_ID, endedOn, SOURCE))
                .when(recordSpend("sp-late", "250", EUR, invoiceDate, CostType.AGENCY))
                .expectEvents(new SpendRecordedEvent(CAMPAIGN_ID, "sp-late", amount("250"), EUR, invoiceDate,
                        CostType.AGENCY, SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void spendInAnotherCurrencyThanTheCampaignsIsInvalid() {
        fixture.given(LAUNCHED)
                .when(recordSpend("sp-1", "1000.00", "USD", SPENT_ON, CostType.MEDIA))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "currency"))
                .expectExceptionMessage(containsString("EUR"));
    }

    @Test
    void zeroSpendIsInvalid() {
        fixture.given(LAUNCHED)
                .when(recordSpend("sp-1", "0", EUR, SPENT_ON, CostType.MEDIA))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "amount"));
    }

    @Test
    void negativeSpendIsInvalid() {
        fixture.given(LAUNCHED)
                .when(recordSpend("sp-1", "-5.00", EUR, SPENT_ON, CostType.MEDIA))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "amount"));
    }

    @Test
    void identicalSpendRetryIsUnchanged() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(recordSpend("sp-1", "1000", EUR, SPENT_ON, CostType.MEDIA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void identicalSpendRetryIsUnchangedEvenAfterACorrection() {
        fixture.given(LAUNCHED, SPEND_RECORDED, corrected("1000.00", "800.00"))
                .when(recordSpend("sp-1", "1000.00", EUR, SPENT_ON, CostType.MEDIA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void sameSpendIdWithAnotherAmountIsAConflict() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(recordSpend("sp-1", "999.99", EUR, SPENT_ON, CostType.MEDIA))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "spendId"));
    }

    @Test
    void sameSpendIdWithAnotherDateIsAConflict() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(recordSpend("sp-1", "1000.00", EUR, SPENT_ON.plusDays(1), CostType.MEDIA))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "spendId"));
    }

    @Test
    void sameSpendIdWithAnotherCostTypeIsAConflict() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(recordSpend("sp-1", "1000.00", EUR, SPENT_ON, CostType.CONTENT))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "spendId"));
    }

    @Test
    void retryingTheCorrectedAmountAsARecordIsAConflict() {
        fixture.given(LAUNCHED, SPEND_RECORDED, corrected("1000.00", "800.00"))
                .when(recordSpend("sp-1", "800.00", EUR, SPENT_ON, CostType.MEDIA))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "spendId"));
    }

    @Test
    void spendForAnUnknownCampaignIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(recordSpend("sp-1", "1000.00", EUR, SPENT_ON, CostType.MEDIA))
                .expectNoEvents()
                .expectException(AggregateNotFoundException.class);
    }

    // --- CorrectSpend ---

    @Test
    void correctingSpendAppliesSpendCorrectedWithThePreviousAmount() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(correctSpend("sp-1", "800.00"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(corrected("1000.00", "800.00"))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void aSecondCorrectionNamesTheFirstCorrectionAsPreviousAmount() {
        fixture.given(LAUNCHED, SPEND_RECORDED, corrected("1000.00", "800.00"))
                .when(correctSpend("sp-1", "750.00"))
                .expectEvents(corrected("800.00", "750.00"))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void aLateRetryOfAnOlderCorrectionDoesNotSetTheAmountBack() {
        fixture.given(LAUNCHED, SPEND_RECORDED, corrected("1000.00", "900.00"), corrected("900.00", "800.00"))
                .when(correctSpend("sp-1", "900"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void theSameAmountForAnotherReasonIsANewCorrection() {
        fixture.given(LAUNCHED, SPEND_RECORDED, corrected("1000.00", "900.00"), corrected("900.00", "800.00"))
                .when(new CorrectSpendCommand(CAMPAIGN_ID, "sp-1", amount("900"), "second credit note", SOURCE))
                .expectEvents(new SpendCorrectedEvent(CAMPAIGN_ID, "sp-1", amount("800.00"), amount("900"), EUR,
                        SPENT_ON, CostType.MEDIA, "second credit note", SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void correctingSpendToZeroIsAllowed() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(correctSpend("sp-1", "0"))
                .expectEvents(corrected("1000.00", "0"))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void correctionToTheCurrentAmountIsUnchanged() {
        fixture.given(LAUNCHED, SPEND_RECORDED, corrected("1000.00", "800.00"))
                .when(correctSpend("sp-1", "800"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void correctionOfAnUnknownSpendIsUnknownEntity() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(correctSpend("sp-404", "800.00"))
                .expectNoEvents()
                .expectException(refusal(UnknownEntityException.class, "spendId"));
    }

    @Test
    void negativeCorrectionIsInvalid() {
        fixture.given(LAUNCHED, SPEND_RECORDED)
                .when(correctSpend("sp-1", "-1"))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "amount"));
    }

    // --- EndCampaign ---

    @Test
    void endingACampaignAppliesCampaignEnded() {
        LocalDate endedOn = LocalDate.of(2026, 3, 31);
        fixture.given(LAUNCHED)
                .when(new EndCampaignCommand(CAMPAIGN_ID, endedOn, SOURCE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CampaignEndedEvent(CAMPAIGN_ID, endedOn, SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void endingOnTheLaunchDayIsAllowed() {
        fixture.given(LAUNCHED)
                .when(new EndCampaignCommand(CAMPAIGN_ID, LAUNCHED_ON, SOURCE))
                .expectEvents(new CampaignEndedEvent(CAMPAIGN_ID, LAUNCHED_ON, SOURCE))
                .expectResultMessagePayload(CommandOutcome.APPLIED);
    }

    @Test
    void endingAgainOnTheSameDateIsUnchanged() {
        LocalDate endedOn = LocalDate.of(2026, 3, 31);
        fixture.given(LAUNCHED, new CampaignEndedEvent(CAMPAIGN_ID, endedOn, SOURCE))
                .when(new EndCampaignCommand(CAMPAIGN_ID, endedOn, SOURCE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(CommandOutcome.UNCHANGED);
    }

    @Test
    void endingAgainOnAnotherDateIsAConflict() {
        LocalDate endedOn = LocalDate.of(2026, 3, 31);
        fixture.given(LAUNCHED, new CampaignEndedEvent(CAMPAIGN_ID, endedOn, SOURCE))
                .when(new EndCampaignCommand(CAMPAIGN_ID, endedOn.plusDays(1), SOURCE))
                .expectNoEvents()
                .expectException(refusal(ConflictingCommandException.class, "endedOn"));
    }

    @Test
    void endingBeforeTheLaunchIsInvalid() {
        fixture.given(LAUNCHED)
                .when(new EndCampaignCommand(CAMPAIGN_ID, LAUNCHED_ON.minusDays(1), SOURCE))
                .expectNoEvents()
                .expectException(refusal(InvalidCommandException.class, "endedOn"));
    }

    @Test
    void endingAnUnknownCampaignIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(new EndCampaignCommand(CAMPAIGN_ID, LAUNCHED_ON, SOURCE))
                .expectNoEvents()
                .expectException(AggregateNotFoundException.class);
    }

    // --- helpers ---

    private static LaunchCampaignCommand launch(String name, String channel, String currency, LocalDate launchedOn) {
        return new LaunchCampaignCommand(CAMPAIGN_ID, name, channel, currency, launchedOn, SOURCE);
    }

    private static RecordSpendCommand recordSpend(String spendId, String amount, String currency, LocalDate spentOn,
                                                  CostType costType) {
        return new RecordSpendCommand(CAMPAIGN_ID, spendId, amount(amount), currency, spentOn, costType, SOURCE);
    }

    private static CorrectSpendCommand correctSpend(String spendId, String amount) {
        return new CorrectSpendCommand(CAMPAIGN_ID, spendId, amount(amount), "invoice corrected", SOURCE);
    }

    private static SpendCorrectedEvent corrected(String previousAmount, String amount) {
        return new SpendCorrectedEvent(CAMPAIGN_ID, "sp-1", amount(previousAmount), amount(amount), EUR, SPENT_ON,
                CostType.MEDIA, "invoice corrected", SOURCE);
    }

    private static BigDecimal amount(String value) {
        return new BigDecimal(value);
    }

}
