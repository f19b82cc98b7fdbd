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
import com.kpiledger.coreapi.shared.AggregateIds;
import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.coreapi.shared.ConflictingCommandException;
import com.kpiledger.coreapi.shared.InvalidCommandException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One lead's way through the funnel. CRMs send its facts late and out of order, so the aggregate records what it is
 * told (within the rules of the contract) rather than enforcing a strict sequence; the read side takes every stage's
 * first entry by business time.
 */
public class Lead {

    private static final List<Stage> STAGES_BELOW_DEAL = List.of(Stage.MQL, Stage.SQL);

    @AggregateIdentifier
    private String streamId;
    private String leadId;
    private String campaignId;
    private String channel;
    private Instant capturedAt;
    /** Stages a CRM reported itself, with the business time it gave. */
    private Map<Stage, Instant> reportedStages = new EnumMap<>(Stage.class);
    /** First entry into each stage either way: reported, or implied by a later stage or a deal. */
    private Map<Stage, Instant> firstEntries = new EnumMap<>(Stage.class);
    private String disqualificationReason;
    private Instant disqualifiedAt;
    private Map<String, Deal> deals = new HashMap<>();
    private String dealCurrency;
    private Instant customerSince;

    public Lead() {
        // required by the event-sourcing repository
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(CaptureLeadCommand command) {
        if (command.campaignId() != null && command.channel() != null) {
            throw new InvalidCommandException("channel",
                    "must be empty when campaignId is given: the campaign's channel applies");
        }
        String normalisedChannel = Channels.normalise(command.channel());
        if (leadId != null) {
            boolean identical = Objects.equals(campaignId, command.campaignId())
                    && Objects.equals(channel, normalisedChannel)
                    && capturedAt.equals(command.capturedAt());
            if (identical) {
                return CommandOutcome.UNCHANGED;
            }
            throw new ConflictingCommandException("leadId",
                    "lead '" + leadId + "' was already captured with different details");
        }
        apply(new LeadCapturedEvent(command.leadId(), command.campaignId(), normalisedChannel,
                command.capturedAt(), command.source()));
        return CommandOutcome.APPLIED;
    }

    /**
     * A stage the CRM already reported is idempotent (same time) or a conflict (other time). A stage that was only
     * implied so far may still be reported: the real time arrives late, and the read side keeps the earliest entry.
     */
    @CommandHandler
    public CommandOutcome handle(QualifyLeadCommand command) {
        requireNotBeforeCapture("qualifiedAt", command.qualifiedAt());
        Instant reported = reportedStages.get(command.stage());
        if (reported != null) {
            if (reported.equals(command.qualifiedAt())) {
                return CommandOutcome.UNCHANGED;
            }
            throw new ConflictingCommandException("qualifiedAt",
                    "lead '" + leadId + "' was already qualified as " + command.stage() + " at " + reported);
        }
        List<Stage> implied = command.stage() == Stage.SQL
                ? notEnteredBy(List.of(Stage.MQL), command.qualifiedAt()) : List.of();
        apply(new LeadQualifiedEvent(leadId, command.stage(), command.qualifiedAt(), implied, command.source()));
        return CommandOutcome.APPLIED;
    }

    @CommandHandler
    public CommandOutcome handle(DisqualifyLeadCommand command) {
        requireNotBeforeCapture("disqualifiedAt", command.disqualifiedAt());
        if (disqualifiedAt != null) {
            boolean identical = disqualifiedAt.equals(command.disqualifiedAt())
                    && disqualificationReason.equals(command.reason());
            if (identical) {
                return CommandOutcome.UNCHANGED;
            }
            throw new ConflictingCommandException("disqualifiedAt",
                    "lead '" + leadId + "' was already disqualified at " + disqualifiedAt);
        }
        apply(new LeadDisqualifiedEvent(leadId, command.reason(), command.disqualifiedAt(), command.source()));
        return CommandOutcome.APPLIED;
    }

    /**
     * A lead may close several deals (cross-sell). The first WON deal makes it a customer; a WON deal that arrives late
     * with an earlier close moves the acquisition earlier, recorded as a new CustomerAcquiredEvent.
     */
    @CommandHandler
    public CommandOutcome handle(CloseDealCommand command) {
        requireNotBeforeCapture("closedAt", command.closedAt());
        if (command.amount().signum() < 0) {
            throw new InvalidCommandException("amount", "must be 0 or greater");
        }
        if (command.grossMargin().signum() < 0 || command.grossMargin().compareTo(BigDecimal.ONE) > 0) {
            throw new InvalidCommandException("grossMargin", "must be between 0 and 1");
        }
        Deal known = deals.get(command.dealId());
        if (known != null) {
            if (known.sameAs(command)) {
                return CommandOutcome.UNCHANGED;
            }
            throw new ConflictingCommandException("dealId",
                    "deal '" + command.dealId() + "' of lead '" + leadId + "' was already closed with different details");
        }
        if (dealCurrency != null && !dealCurrency.equals(command.currency())) {
            throw new InvalidCommandException("currency",
                    "must be " + dealCurrency + ", the currency of this lead's earlier deals");
        }
        apply(new DealClosedEvent(leadId, command.dealId(), command.outcome(), command.amount(), command.currency(),
                command.grossMargin(), command.closedAt(), notEnteredBy(STAGES_BELOW_DEAL, command.closedAt()),
                command.source()));
        boolean becomesCustomer = command.outcome() == DealOutcome.WON
                && (customerSince == null || command.closedAt().isBefore(customerSince));
        if (becomesCustomer) {
            apply(new CustomerAcquiredEvent(leadId, command.dealId(), command.closedAt(), command.source()));
        }
        return CommandOutcome.APPLIED;
    }

    private void requireNotBeforeCapture(String field, Instant businessTime) {
        if (businessTime.isBefore(capturedAt)) {
            throw new InvalidCommandException(field,
                    "must not be before the lead was captured at " + capturedAt);
        }
    }

    /**
     * The earlier stages a fact at {@code businessTime} implies: those not entered at all, and those whose known
     * entry is later (facts arrive out of order; a lead cannot reach SQL on the 3rd and MQL only on the 10th).
     */
    private List<Stage> notEnteredBy(List<Stage> stages, Instant businessTime) {
        List<Stage> implied = new ArrayList<>();
        for (Stage stage : stages) {
            Instant entered = firstEntries.get(stage);
            if (entered == null || entered.isAfter(businessTime)) {
                implied.add(stage);
            }
        }
        return implied;
    }

    private void enter(Stage stage, Instant at) {
        firstEntries.merge(stage, at, (known, candidate) -> candidate.isBefore(known) ? candidate : known);
    }

    @EventSourcingHandler
    void on(LeadCapturedEvent event) {
        streamId = AggregateIds.lead(event.leadId());
        leadId = event.leadId();
        campaignId = event.campaignId();
        channel = event.channel();
        capturedAt = event.capturedAt();
    }

    @EventSourcingHandler
    void on(LeadQualifiedEvent event) {
        reportedStages.put(event.stage(), event.qualifiedAt());
        enter(event.stage(), event.qualifiedAt());
        event.impliedStages().forEach(stage -> enter(stage, event.qualifiedAt()));
    }

    @EventSourcingHandler
    void on(LeadDisqualifiedEvent event) {
        disqualificationReason = event.reason();
        disqualifiedAt = event.disqualifiedAt();
    }

    @EventSourcingHandler
    void on(DealClosedEvent event) {
        deals.put(event.dealId(), new Deal(event.outcome(), event.amount(), event.currency(), event.grossMargin(),
                event.closedAt()));
        dealCurrency = event.currency();
        event.impliedStages().forEach(stage -> enter(stage, event.closedAt()));
    }

    @EventSourcingHandler
    void on(CustomerAcquiredEvent event) {
        customerSince = event.acquiredAt();
    }

    record Deal(DealOutcome outcome, BigDecimal amount, String currency, BigDecimal grossMargin, Instant closedAt) {

        boolean sameAs(CloseDealCommand command) {
            return outcome == command.outcome()
                    && amount.compareTo(command.amount()) == 0
                    && currency.equals(command.currency())
                    && grossMargin.compareTo(command.grossMargin()) == 0
                    && closedAt.equals(command.closedAt());
        }
    }
}
