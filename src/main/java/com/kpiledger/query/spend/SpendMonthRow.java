package com.kpiledger.query.spend;

import com.kpiledger.coreapi.campaign.CostType;
import com.kpiledger.query.UtcMonths;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A campaign's spend facts of one cost type, currency and month of spending, recorded in one month (UTC), summed up.
 * Kept by the spend projection in the transaction that writes the facts, so that a year's spend is read from a few
 * rows per campaign instead of one per spend line.
 *
 * <p>Exact under every cut because of how it is used: a month wholly inside the period is read from its rows only when
 * every fact they hold is within the cut (recorded before the month of "as known at", at positions up to the answer's);
 * everything else (partial months at the period's edges, the facts of the month of "as known at", a campaign with facts
 * beyond the answer's position) is summed from the facts, as before.
 */
@Entity
@Table(name = "kpi_spend_month")
@IdClass(SpendMonthRow.Key.class)
public class SpendMonthRow extends PanacheEntityBase {

    @Id
    @Column(name = "campaign_id")
    public String campaignId;
    @Id
    @Enumerated(EnumType.STRING)
    @Column(name = "cost_type")
    public CostType costType;
    @Id
    public String currency;
    /** The first day of the month the spend was for. */
    @Id
    @Column(name = "spent_month")
    public LocalDate spentMonth;
    /** The first day of the month (UTC) the facts were recorded in. */
    @Id
    @Column(name = "recorded_month")
    public LocalDate recordedMonth;
    /** The sum of the facts' amounts (recorded amounts and corrections' differences). */
    public BigDecimal amount;
    /** How many facts the row sums. */
    public int facts;
    /** The highest position among the facts. */
    @Column(name = "max_position")
    public long maxPosition;
    @Column(name = "applied_by")
    public String appliedBy;

    /** The row a fact belongs to. */
    static Key keyOf(SpendFact fact) {
        return new Key(fact.campaignId, fact.costType, fact.currency, UtcMonths.of(fact.spentOn),
                UtcMonths.of(fact.recordedAt));
    }


    /** The primary key: one row per campaign, cost type, currency, month spent and month recorded. */
    public static class Key implements Serializable {

        public String campaignId;
        public CostType costType;
        public String currency;
        public LocalDate spentMonth;
        public LocalDate recordedMonth;

        public Key() {
        }

        public Key(String campaignId, CostType costType, String currency, LocalDate spentMonth,
                   LocalDate recordedMonth) {
            this.campaignId = campaignId;
            this.costType = costType;
            this.currency = currency;
            this.spentMonth = spentMonth;
            this.recordedMonth = recordedMonth;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(campaignId, key.campaignId) && costType == key.costType
                    && Objects.equals(currency, key.currency) && Objects.equals(spentMonth, key.spentMonth)
                    && Objects.equals(recordedMonth, key.recordedMonth);
        }

        @Override
        public int hashCode() {
            return Objects.hash(campaignId, costType, currency, spentMonth, recordedMonth);
        }
    }
}
