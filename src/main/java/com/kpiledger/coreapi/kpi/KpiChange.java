package com.kpiledger.coreapi.kpi;

import java.math.BigDecimal;

/**
 * A KPI's change against the month before. Counts and money: {@code absolute} and {@code relative} (a fraction,
 * null when the month before was 0). Rates: {@code percentagePoints}. A side that is null leaves the change null.
 */
public record KpiChange(BigDecimal previous, BigDecimal current, BigDecimal absolute, BigDecimal relative,
                        BigDecimal percentagePoints) {
}
