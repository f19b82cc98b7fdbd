package com.kpiledger.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kpiledger.coreapi.lead.DealClosedEvent;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.math.BigDecimal;

/**
 * DealClosedEvent, no revision → revision 2: adds {@code grossProfit} = amount × grossMargin, computed exactly from
 * the stored decimals. Pure and deterministic, since it runs on every read of an old event, replays included.
 */
public class DealClosedEventUpcaster extends SingleEventUpcaster {

    private static final String TYPE = DealClosedEvent.class.getName();
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(TYPE, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return TYPE.equals(representation.getType().getName()) && representation.getType().getRevision() == null;
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            ObjectNode deal = (ObjectNode) payload;
            BigDecimal amount = deal.get("amount").decimalValue();
            BigDecimal grossMargin = deal.get("grossMargin").decimalValue();
            deal.put("grossProfit", amount.multiply(grossMargin));
            return deal;
        });
    }
}
