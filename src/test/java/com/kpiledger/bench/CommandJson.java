package com.kpiledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.kpiledger.coreapi.campaign.CorrectSpendCommand;
import com.kpiledger.coreapi.campaign.EndCampaignCommand;
import com.kpiledger.coreapi.campaign.LaunchCampaignCommand;
import com.kpiledger.coreapi.campaign.RecordSpendCommand;
import com.kpiledger.coreapi.lead.CaptureLeadCommand;
import com.kpiledger.coreapi.lead.CloseDealCommand;
import com.kpiledger.coreapi.lead.DisqualifyLeadCommand;
import com.kpiledger.coreapi.lead.QualifyLeadCommand;

/** A generated command as a CRM sends it over HTTP: one request to its endpoint, or one item of a batch. */
final class CommandJson {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    record Request(String path, String body, String streamId) {
    }

    private CommandJson() {
    }

    static Request single(Object command) {
        ObjectNode body = fields(command);
        if (command instanceof LaunchCampaignCommand launch) {
            return new Request("/api/campaigns", body.toString(), "campaign:" + launch.campaignId());
        }
        if (command instanceof RecordSpendCommand spend) {
            body.remove("campaignId");
            return new Request("/api/campaigns/" + spend.campaignId() + "/spend", body.toString(), "campaign:" + spend.campaignId());
        }
        if (command instanceof CorrectSpendCommand correction) {
            body.remove("campaignId");
            body.remove("spendId");
            return new Request("/api/campaigns/" + correction.campaignId() + "/spend/" + correction.spendId() + "/corrections",
                    body.toString(), "campaign:" + correction.campaignId());
        }
        if (command instanceof EndCampaignCommand end) {
            body.remove("campaignId");
            return new Request("/api/campaigns/" + end.campaignId() + "/end", body.toString(), "campaign:" + end.campaignId());
        }
        if (command instanceof CaptureLeadCommand capture) {
            return new Request("/api/leads", body.toString(), "lead:" + capture.leadId());
        }
        if (command instanceof QualifyLeadCommand qualify) {
            body.remove("leadId");
            return new Request("/api/leads/" + qualify.leadId() + "/qualifications", body.toString(), "lead:" + qualify.leadId());
        }
        if (command instanceof DisqualifyLeadCommand disqualify) {
            body.remove("leadId");
            return new Request("/api/leads/" + disqualify.leadId() + "/disqualifications", body.toString(), "lead:" + disqualify.leadId());
        }
        CloseDealCommand deal = (CloseDealCommand) command;
        body.remove("leadId");
        return new Request("/api/leads/" + deal.leadId() + "/deals", body.toString(), "lead:" + deal.leadId());
    }

    /** {"type":"RecordSpend", …the command's fields}. */
    static ObjectNode batchItem(Object command) {
        ObjectNode item = JSON.createObjectNode();
        item.put("type", command.getClass().getSimpleName().replace("Command", ""));
        item.setAll(fields(command));
        return item;
    }

    private static ObjectNode fields(Object command) {
        ObjectNode node = JSON.valueToTree(command);
        // the source travels in the X-Source-System header
        node.remove("source");
        return node;
    }
}
