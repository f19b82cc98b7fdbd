package com.kpiledger.coreapi.shared;

/**
 * CRM ids are unique per kind only (a campaign and a lead may both be called "42"), while the event store's stream
 * key is global. Prefixing the stream id with the kind keeps the two apart.
 */
public final class AggregateIds {

    public static final String ID_PATTERN = "[A-Za-z0-9._:-]{1,64}";

    private AggregateIds() {
    }

    public static String campaign(String campaignId) {
        return "campaign:" + campaignId;
    }

    public static String lead(String leadId) {
        return "lead:" + leadId;
    }
}
