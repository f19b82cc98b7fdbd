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
import com.kpiledger.coreapi.shared.AggregateIds;
import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.coreapi.shared.ConflictingCommandException;
import com.kpiledger.coreapi.shared.InvalidCommandException;
import com.kpiledger.coreapi.shared.UnknownEntityException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A marketing campaign and its spend lines. Keeps only what its decisions need: the launch details (to tell a retry
 * from a conflict), the currency, every spend line's original and current amount, and the end date.
 */
public class Campaign {

    @AggregateIdentifier
    private String streamId;
    private String campaignId;
    private String name;
    private String channel;
    private String currency;
    private LocalDate launchedOn;
    private LocalDate endedOn;
    private Map<String, SpendLine> spendLines = new HashMap<>();

    public Campaign() {
        // required by the event-sourcing repository
    }

    /** Launching is idempotent: an identical relaunch changes nothing; a different one is a conflict. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(LaunchCampaignCommand command) {
        String normalisedChannel = Channels.normalise(command.channel());
        if (campaignId != null) {
            boolean identical = name.equals(command.name())
                    && channel.equals(normalisedChannel)
                    && currency.equals(command.currency())
                    && launchedOn.equals(command.launchedOn());
            if (identical) {
                return CommandOutcome.UNCHANGED;
            }
            throw new ConflictingCommandException("campaignId",
                    "campaign '" + campaignId + "' was already launched with different details");
        }
        apply(new CampaignLaunchedEvent(command.campaignId(), command.name(), normalisedChannel,
                command.currency(), command.launchedOn(), command.source()));
        return CommandOutcome.APPLIED;
    }

    @CommandHandler
    public CommandOutcome handle(RecordSpendCommand command) {
        if (command.amount().signum() <= 0) {
            throw new InvalidCommandException("amount", "must be greater than 0");
        }
        if (!currency.equals(command.currency())) {
            throw new InvalidCommandException("currency",
                    "must be " + currency + ", the currency of campaign '" + campaignId + "'");
        }
        SpendLine known = spendLines.get(command.spendId());
        if (known != null) {
            boolean identical = known.originalAmount().compareTo(command.amount()) == 0
                    && known.spentOn().equals(command.spentOn())
                    && known.costType() == command.costType();
            if (identical) {
                return CommandOutcome.UNCHANGED;
            }
            throw new ConflictingCommandException("spendId",
                    "spend '" + command.spendId() + "' was already recorded with different details;"
                            + " send a correction to change its amount");
        }
        apply(new SpendRecordedEvent(campaignId, command.spendId(), command.amount(), currency,
                command.spentOn(), command.costType(), command.source()));
        return CommandOutcome.APPLIED;
    }

    /** A correction that sets the amount the line already has is a retry and changes nothing. */
    @CommandHandler
    public CommandOutcome handle(CorrectSpendCommand command) {
        if (command.amount().signum() < 0) {
            throw new InvalidCommandException("amount", "must be 0 or greater");
        }
        SpendLine line = spendLines.get(command.spendId());
        if (line == null) {
            throw new UnknownEntityException("spendId",
                    "campaign '" + campaignId + "' has no spend '" + command.spendId() + "'");
        }
        // a retry, even a late one arriving after a newer correction, must not set the amount back
        if (line.currentAmount().compareTo(command.amount()) == 0 || line.hasCorrection(command.amount(), command.reason())) {
            return CommandOutcome.UNCHANGED;
        }
        apply(new SpendCorrectedEvent(campaignId, command.spendId(), line.currentAmount(), command.amount(),
                currency, line.spentOn(), line.costType(), command.reason(), command.source()));
        return CommandOutcome.APPLIED;
    }

    /** Spend may still arrive after the end (late invoices), so ending closes nothing. */
    @CommandHandler
    public CommandOutcome handle(EndCampaignCommand command) {
        if (command.endedOn().isBefore(launchedOn)) {
            throw new InvalidCommandException("endedOn", "must not be before the launch on " + launchedOn);
        }
        if (endedOn != null) {
            if (endedOn.equals(command.endedOn())) {
                return CommandOutcome.UNCHANGED;
            }
            throw new ConflictingCommandException("endedOn",
                    "campaign '" + campaignId + "' already ended on " + endedOn);
        }
        apply(new CampaignEndedEvent(campaignId, command.endedOn(), command.source()));
        return CommandOutcome.APPLIED;
    }

    @EventSourcingHandler
    void on(CampaignLaunchedEvent event) {
        streamId = AggregateIds.campaign(event.campaignId());
        campaignId = event.campaignId();
        name = event.name();
        channel = event.channel();
        currency = event.currency();
        launchedOn = event.launchedOn();
    }

    @EventSourcingHandler
    void on(SpendRecordedEvent event) {
        spendLines.put(event.spendId(),
                new SpendLine(event.amount(), event.amount(), event.spentOn(), event.costType(), List.of()));
    }

    @EventSourcingHandler
    void on(SpendCorrectedEvent event) {
        spendLines.computeIfPresent(event.spendId(), (id, line) -> line.corrected(event.amount(), event.reason()));
    }

    @EventSourcingHandler
    void on(CampaignEndedEvent event) {
        endedOn = event.endedOn();
    }

    /** A spend line: its first and current amount, and every correction applied so far (amount and reason). */
    record SpendLine(BigDecimal originalAmount, BigDecimal currentAmount, LocalDate spentOn, CostType costType,
                     List<String> corrections) {

        SpendLine {
            Objects.requireNonNull(originalAmount);
            Objects.requireNonNull(currentAmount);
            corrections = List.copyOf(corrections);
        }

        SpendLine corrected(BigDecimal amount, String reason) {
            List<String> applied = new ArrayList<>(corrections);
            applied.add(fingerprint(amount, reason));
            return new SpendLine(originalAmount, amount, spentOn, costType, applied);
        }

        boolean hasCorrection(BigDecimal amount, String reason) {
            return corrections.contains(fingerprint(amount, reason));
        }

        private static String fingerprint(BigDecimal amount, String reason) {
            return amount.stripTrailingZeros().toPlainString() + "|" + reason;
        }
    }
}
