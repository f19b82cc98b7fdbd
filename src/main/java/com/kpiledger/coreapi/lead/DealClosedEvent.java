package com.kpiledger.coreapi.lead;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Objects;

/**
 * A deal of the lead closed, won or lost. {@code impliedStages} names the stages the lead had not reached yet
 * (closing implies SQL, and SQL implies MQL): they count as entered at {@code closedAt}.
 * <p>
 * Revision 2 added {@code grossProfit} (amount × grossMargin, exact), so that an auditor reading a history sees the
 * figure LTV and gross profit are summed from. Events stored before it (no revision) are upcast on every read by
 * {@code DealClosedEventUpcaster}; see docs/event-versioning.md.
 */
@Revision("2")
public record DealClosedEvent(String leadId, String dealId, DealOutcome outcome, BigDecimal amount, String currency,
                              BigDecimal grossMargin, BigDecimal grossProfit, Instant closedAt,
                              List<Stage> impliedStages, String source) implements LeadEvent {

    public DealClosedEvent {
        Objects.requireNonNull(grossProfit, "grossProfit (revision 2); older payloads must go through the upcaster");
        impliedStages = impliedStages == null ? List.of() : List.copyOf(impliedStages);
    }

    /** A new deal: its gross profit is amount × grossMargin. */
    public DealClosedEvent(String leadId, String dealId, DealOutcome outcome, BigDecimal amount, String currency,
                           BigDecimal grossMargin, Instant closedAt, List<Stage> impliedStages, String source) {
        this(leadId, dealId, outcome, amount, currency, grossMargin, amount.multiply(grossMargin), closedAt,
                impliedStages, source);
    }

    @Override
    public Temporal businessTime() {
        return closedAt;
    }
}
