package com.kpiledger.coreapi.kpi;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

public record MonthlyKpisView(LocalDate from, LocalDate to, Instant knownAt, long position, List<MonthKpis> months) {
}
