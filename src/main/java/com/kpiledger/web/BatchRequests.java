package com.kpiledger.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.kpiledger.coreapi.shared.AggregateIds;
import com.kpiledger.coreapi.shared.CommandOutcome;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/**
 * The bulk endpoint's body and answer. Each item is a command as kpi-spec names it, with its fields in camelCase and
 * {@code type} naming the command; the ids that single commands take from the path are fields here. Items are read
 * as JSON trees so that one unreadable item is refused on its own instead of failing the whole batch.
 */
final class BatchRequests {

    static final int MAX_ITEMS = 1_000;

    private BatchRequests() {
    }

    record Batch(@NotEmpty List<JsonNode> commands) {
    }

    record CampaignRef(@NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = Requests.ID_MESSAGE) String campaignId) {
    }

    record SpendRef(
            @NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = Requests.ID_MESSAGE) String campaignId,
            @NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = Requests.ID_MESSAGE) String spendId) {
    }

    record LeadRef(@NotNull @Pattern(regexp = AggregateIds.ID_PATTERN, message = Requests.ID_MESSAGE) String leadId) {
    }

    /**
     * One item's fate: APPLIED and UNCHANGED as for a single command, REJECTED with the problem a single command would
     * have answered (its {@code status} is that answer's HTTP status: 400, 404 or 409).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemResult(int index, String type, String id, String outcome, Problem problem) {

        static ItemResult of(int index, String type, String id, CommandOutcome outcome) {
            return new ItemResult(index, type, id, outcome.name(), null);
        }

        static ItemResult rejected(int index, String type, String id, Problem problem) {
            return new ItemResult(index, type, id, "REJECTED", problem);
        }
    }

    /**
     * {@code position}: the head of the store once every item was handled, at or after each of their events; pass it
     * as {@code minPosition} to read the batch's writes.
     */
    record BatchAnswer(int applied, int unchanged, int rejected, long position, List<ItemResult> items) {
    }
}
