package com.kpiledger.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.kpiledger.coreapi.campaign.CorrectSpendCommand;
import com.kpiledger.coreapi.campaign.EndCampaignCommand;
import com.kpiledger.coreapi.campaign.LaunchCampaignCommand;
import com.kpiledger.coreapi.campaign.RecordSpendCommand;
import com.kpiledger.coreapi.lead.CaptureLeadCommand;
import com.kpiledger.coreapi.lead.CloseDealCommand;
import com.kpiledger.coreapi.lead.DisqualifyLeadCommand;
import com.kpiledger.coreapi.lead.QualifyLeadCommand;
import com.kpiledger.coreapi.shared.LedgerException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one item of a batch into its command, with the same parsing and validation rules as the single endpoints and
 * the same problem details (made by {@link ProblemMapper}, so that a field is named the same way in both).
 */
@ApplicationScoped
class BatchItems {

    static final List<String> TYPES = List.of("LaunchCampaign", "RecordSpend", "CorrectSpend", "EndCampaign",
            "CaptureLead", "QualifyLead", "DisqualifyLead", "CloseDeal");

    private static final ProblemMapper PROBLEMS = new ProblemMapper();

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    /** An item read: its command, or the problem that refuses it (then {@code command} is null). */
    record Item(String type, String id, Object command, Problem problem) {
    }

    Item read(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            return refused(null, null, "body", "must be a JSON object");
        }
        String type = node.path("type").isTextual() ? node.get("type").asText() : null;
        if (type == null || !TYPES.contains(type)) {
            return refused(type, null, "type", "must be one of " + String.join(", ", TYPES));
        }
        try {
            return switch (type) {
                case "LaunchCampaign" -> {
                    Requests.LaunchCampaign body = valid(node, Requests.LaunchCampaign.class);
                    yield item(type, body.campaignId(), new LaunchCampaignCommand(body.campaignId(), body.name(),
                            body.channel(), body.currency(), body.launchedOn(), source));
                }
                case "RecordSpend" -> {
                    BatchRequests.CampaignRef campaign = json.treeToValue(node, BatchRequests.CampaignRef.class);
                    Requests.RecordSpend body = valid(node, Requests.RecordSpend.class, campaign);
                    yield item(type, body.spendId(), new RecordSpendCommand(campaign.campaignId(), body.spendId(),
                            body.amount(), body.currency(), body.spentOn(), body.costType(), source));
                }
                case "CorrectSpend" -> {
                    BatchRequests.SpendRef line = json.treeToValue(node, BatchRequests.SpendRef.class);
                    Requests.CorrectSpend body = valid(node, Requests.CorrectSpend.class, line);
                    yield item(type, line.spendId(), new CorrectSpendCommand(line.campaignId(), line.spendId(),
                            body.amount(), body.reason(), source));
                }
                case "EndCampaign" -> {
                    BatchRequests.CampaignRef campaign = json.treeToValue(node, BatchRequests.CampaignRef.class);
                    Requests.EndCampaign body = valid(node, Requests.EndCampaign.class, campaign);
                    yield item(type, campaign.campaignId(),
                            new EndCampaignCommand(campaign.campaignId(), body.endedOn(), source));
                }
                case "CaptureLead" -> {
                    Requests.CaptureLead body = valid(node, Requests.CaptureLead.class);
                    yield item(type, body.leadId(), new CaptureLeadCommand(body.leadId(), body.campaignId(),
                            body.channel(), body.capturedAt(), source));
                }
                case "QualifyLead" -> {
                    BatchRequests.LeadRef lead = json.treeToValue(node, BatchRequests.LeadRef.class);
                    Requests.QualifyLead body = valid(node, Requests.QualifyLead.class, lead);
                    yield item(type, lead.leadId(),
                            new QualifyLeadCommand(lead.leadId(), body.stage(), body.qualifiedAt(), source));
                }
                case "DisqualifyLead" -> {
                    BatchRequests.LeadRef lead = json.treeToValue(node, BatchRequests.LeadRef.class);
                    Requests.DisqualifyLead body = valid(node, Requests.DisqualifyLead.class, lead);
                    yield item(type, lead.leadId(),
                            new DisqualifyLeadCommand(lead.leadId(), body.reason(), body.disqualifiedAt(), source));
                }
                default -> {
                    BatchRequests.LeadRef lead = json.treeToValue(node, BatchRequests.LeadRef.class);
                    Requests.CloseDeal body = valid(node, Requests.CloseDeal.class, lead);
                    yield item(type, body.dealId(), new CloseDealCommand(lead.leadId(), body.dealId(), body.outcome(),
                            body.amount(), body.currency(), body.grossMargin(), body.closedAt(), source));
                }
            };
        } catch (MismatchedInputException e) {
            return new Item(type, textOf(node), null, (Problem) PROBLEMS.unreadableValue(e).getEntity());
        } catch (ConstraintViolationException e) {
            return new Item(type, textOf(node), null, (Problem) PROBLEMS.invalidRequest(e).getEntity());
        } catch (JsonProcessingException e) {
            return refused(type, textOf(node), "body", "could not be read");
        }
    }

    /** The problem a single command would have answered for this refusal. */
    Problem problemOf(RuntimeException refusal) {
        if (refusal instanceof LedgerException ledger) {
            return (Problem) PROBLEMS.domainRefusal(ledger).getEntity();
        }
        if (refusal instanceof AggregateNotFoundException unknown) {
            return (Problem) PROBLEMS.unknownAggregate(unknown).getEntity();
        }
        if (refusal instanceof AggregateStreamCreationException race) {
            return (Problem) PROBLEMS.writeRace(race).getEntity();
        }
        return (Problem) PROBLEMS.writeRace((ConcurrencyException) refusal).getEntity();
    }

    /** The body and the ids, each checked by its Bean Validation constraints; every violation reported together. */
    private <T> T valid(JsonNode node, Class<T> bodyType, Object... ids) throws JsonProcessingException {
        T body = json.treeToValue(node, bodyType);
        Set<ConstraintViolation<?>> violations = new HashSet<>(validator.validate(body));
        for (Object id : ids) {
            violations.addAll(validator.validate(id));
        }
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }

    private static Item item(String type, String id, Object command) {
        return new Item(type, id, command, null);
    }

    private static Item refused(String type, String id, String field, String message) {
        List<Problem.FieldError> errors = List.of(new Problem.FieldError(field, message));
        return new Item(type, id, null, new Problem("urn:kpi-ledger:problem:invalid-request", "Invalid request", 400,
                field + " " + message, errors));
    }

    /** The item's own id, as far as it can be read, so that a refused item can be found in the CRM. */
    private static String textOf(JsonNode node) {
        for (String field : List.of("dealId", "spendId", "leadId", "campaignId")) {
            if (node.path(field).isTextual()) {
                return node.get(field).asText();
            }
        }
        return null;
    }
}
