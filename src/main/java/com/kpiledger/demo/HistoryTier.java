package com.kpiledger.demo;

/**
 * The benchmark sizes of one tenant-year from the domain research (docs/performance.md): leads, spend lines and
 * campaigns per year. Deals and the other lead events follow from the funnel rates in {@link CrmHistory}.
 */
public enum HistoryTier {
    /** ≈ 25k events: 5k leads, 10k spend lines, ≈ 500 deals. */
    S(5_000, 10_000, 50),
    /** ≈ 0.3M events: 50k leads, 100k spend lines, ≈ 5k deals. */
    M(50_000, 100_000, 500),
    /** ≈ 5M events: 1M leads, 2M spend lines, ≈ 100k deals. */
    L(1_000_000, 2_000_000, 10_000);

    final int leads;
    final int spendLines;
    final int campaigns;

    HistoryTier(int leads, int spendLines, int campaigns) {
        this.leads = leads;
        this.spendLines = spendLines;
        this.campaigns = campaigns;
    }
}
