package com.kpiledger.web;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.coreapi.lead.DealOutcome;
import com.kpiledger.coreapi.lead.Stage;
import com.kpiledger.coreapi.shared.AggregateIds;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The JSON bodies CRMs send, with the shape rules checked before anything reaches the domain. Money: at most
 * 15 integer and 4 fraction digits, so a typo of a billion-fold or a float artefact is refused rather than stored.
 */
final class Requests {

    static final String NOT_BLANK = "(?s).*\\S.*";
    static final String ID_MESSAGE = "must be 1-64 characters of A-Z a-z 0-9 . _ : -";

    private Requests() {
    }

    record LaunchCampaign(
            @NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = ID_MESSAGE) String campaignId,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 64) String channel,
            @NotNull @IsoCurrency String currency,
            @NotNull @BusinessTime LocalDate launchedOn) {
    }

    record RecordSpend(
            @NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = ID_MESSAGE) String spendId,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 15, fraction = 4) BigDecimal amount,
            @NotNull @IsoCurrency String currency,
            @NotNull @BusinessTime LocalDate spentOn,
            @NotNull CostType costType) {
    }

    record CorrectSpend(
            @NotNull @DecimalMin("0") @Digits(integer = 15, fraction = 4) BigDecimal amount,
            @NotBlank @Size(max = 500) String reason) {
    }

    record EndCampaign(@NotNull @BusinessTime LocalDate endedOn) {
    }

    record CaptureLead(
            @NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = ID_MESSAGE) String leadId,
            @Pattern(regexp = AggregateIds.ID_PATTERN, message = ID_MESSAGE) String campaignId,
            @Size(max = 64) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String channel,
            @NotNull @BusinessTime Instant capturedAt) {
    }

    record QualifyLead(@NotNull Stage stage, @NotNull @BusinessTime Instant qualifiedAt) {
    }

    record DisqualifyLead(@NotBlank @Size(max = 500) String reason, @NotNull @BusinessTime Instant disqualifiedAt) {
    }

    record CloseDeal(
            @NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = ID_MESSAGE) String dealId,
            @NotNull DealOutcome outcome,
            @NotNull @DecimalMin("0") @Digits(integer = 15, fraction = 4) BigDecimal amount,
            @NotNull @IsoCurrency String currency,
            @NotNull @DecimalMin("0") @DecimalMax("1") @Digits(integer = 1, fraction = 6) BigDecimal grossMargin,
            @NotNull @BusinessTime Instant closedAt) {
    }
}
