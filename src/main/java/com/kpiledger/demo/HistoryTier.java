package com.kpiledger.demo;

/**
 * The benchmark sizes of one tenant-year from the domain research: leads, spend lines and campaigns per year. Deals
 * and the other lead events follow from the funnel rates in {@link CrmHistory}, which give ≈ 1.8 events per lead, so
 * the event counts come out below the research's estimates (measured with seed 2025, docs/performance.md).
 */
public enum HistoryTier {
    /** 5k leads, 10k spend lines, ≈ 500 deals: 19,923 events (the research estimated ≈ 25k). */
    S(5_000, 10_000, 50),
    /** 50k leads, 100k spend lines, ≈ 5k deals: 199,624 events (estimated ≈ 0.3M). */
    M(50_000, 100_000, 500),
    /** 1M leads, 2M spend lines, ≈ 100k deals: 3,960,592 commands, generated in 18 s within a 64 MB heap (estimated ≈ 5M events). */
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
