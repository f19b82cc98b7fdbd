package com.kpiledger.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.kpiledger.coreapi.shared.ConflictingCommandException;
import com.kpiledger.coreapi.shared.InvalidCommandException;
import com.kpiledger.coreapi.shared.LedgerException;
import com.kpiledger.coreapi.shared.ReadModelRebuildingException;
import com.kpiledger.coreapi.shared.UnknownEntityException;
import com.kpiledger.coreapi.shared.UnreadableEventException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place where failures become HTTP answers, always as application/problem+json. Anything a client sent wrong
 * is a 4xx naming the field; only our own faults are 5xx.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String TYPE_PREFIX = "urn:kpi-ledger:problem:";

    @ServerExceptionMapper
    public Response invalidRequest(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return problem(400, "invalid-request", "Invalid request", describe(errors), errors);
    }

    /**
     * No credentials, or ones that do not verify. The challenge names bearer tokens, and basic credentials where the
     * local users are enabled (dev mode), so that a browser asks for them.
     */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        boolean localUsers = ConfigProvider.getConfig().getOptionalValue("quarkus.http.auth.basic", Boolean.class)
                .orElse(false);
        Response.ResponseBuilder response = Response.status(401).type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer realm=\"kpi-ledger\"")
                .entity(new Problem(TYPE_PREFIX + "unauthenticated", "Unauthorized", 401,
                        "Credentials are missing or do not verify: send a bearer token"
                                + (localUsers ? " or the basic credentials of a local user" : ""), null));
        if (localUsers) {
            response.header("WWW-Authenticate", "Basic realm=\"kpi-ledger\"");
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "forbidden", "Forbidden", "Your roles do not allow this request. crm sends commands; "
                + "analyst reads KPIs; auditor reads KPIs and histories, verifies and publishes snapshots; admin "
                + "operates the read models", null);
    }

    @ServerExceptionMapper
    public Response invalidParameters(InvalidParametersException e) {
        return problem(400, "invalid-request", "Invalid request", describe(e.errors()), e.errors());
    }

    /** Read-your-writes could not be met in time: not an error of the client, not a failure either. */
    @ServerExceptionMapper
    public Response readModelBehind(ReadModelBehindException e) {
        return Response.status(503).header("Retry-After", "1").type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE_PREFIX + "read-model-behind", "Service unavailable", 503, e.getMessage(), null))
                .build();
    }

    @ServerExceptionMapper
    public Response rebuilding(ReadModelRebuildingException e) {
        return Response.status(503).header("Retry-After", "5").type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE_PREFIX + "read-model-rebuilding", "Service unavailable", 503, e.getMessage(), null))
                .build();
    }

    @ServerExceptionMapper
    public Response unreadableValue(MismatchedInputException e) {
        String field = jsonPath(e);
        String message = expectation(e);
        List<Problem.FieldError> errors = List.of(new Problem.FieldError(field, message));
        return problem(400, "invalid-request", "Invalid request", describe(errors), errors);
    }

    @ServerExceptionMapper
    public Response domainRefusal(LedgerException e) {
        List<Problem.FieldError> errors = e.field() == null ? null : List.of(new Problem.FieldError(e.field(), e.getMessage()));
        if (e instanceof ConflictingCommandException) {
            return problem(409, "conflict", "Conflict", e.getMessage(), errors);
        }
        if (e instanceof UnreadableEventException) {
            return problem(409, "unreadable-event", "Conflict", e.getMessage(), null);
        }
        if (e instanceof UnknownEntityException) {
            return problem(404, "not-found", "Not Found", e.getMessage(), errors);
        }
        if (e instanceof InvalidCommandException) {
            return problem(400, "invalid-request", "Invalid request", e.getMessage(), errors);
        }
        return problem(400, "invalid-request", "Invalid request", e.getMessage(), errors);
    }

    @ServerExceptionMapper
    public Response unknownAggregate(AggregateNotFoundException e) {
        String streamId = String.valueOf(e.getAggregateIdentifier());
        int colon = streamId == null ? -1 : streamId.indexOf(':');
        String detail = colon < 0 ? "Unknown aggregate"
                : "No " + streamId.substring(0, colon) + " '" + streamId.substring(colon + 1) + "' is known";
        return problem(404, "not-found", "Not Found", detail, null);
    }

    /** Only reached when a write race outlasted every retry; the client may simply send again. */
    @ServerExceptionMapper
    public Response writeRace(ConcurrencyException e) {
        return problem(409, "concurrent-modification", "Conflict",
                "The aggregate was changed concurrently; send the command again", null);
    }

    @ServerExceptionMapper
    public Response writeRace(AggregateStreamCreationException e) {
        return problem(409, "concurrent-modification", "Conflict",
                "The aggregate was created concurrently; send the command again", null);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            String location = json.getLocation() == null ? ""
                    : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
            return problem(400, "malformed-json", "Malformed JSON", "The body is not valid JSON" + location, null);
        }
        String title = Response.Status.fromStatusCode(status) == null
                ? "HTTP " + status : Response.Status.fromStatusCode(status).getReasonPhrase();
        String slug = title.toLowerCase().replace(' ', '-');
        return problem(status, slug, title, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (isDatabaseUnavailable(e)) {
            LOG.warn("Database unavailable: " + e.getMessage());
            return Response.status(503).header("Retry-After", "5").type(Problem.MEDIA_TYPE)
                    .entity(new Problem(TYPE_PREFIX + "store-unavailable", "Service unavailable", 503,
                            "The event store cannot be reached; retry later", null))
                    .build();
        }
        LOG.error("Unexpected failure", e);
        return problem(500, "internal-error", "Internal error", "An unexpected error occurred; it has been logged", null);
    }

    private static Response problem(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE_PREFIX + slug, title, status, detail, errors))
                .build();
    }

    private static String describe(List<Problem.FieldError> errors) {
        return errors.stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; "));
    }

    /** "launch.body.campaignId" → "campaignId"; "recordSpend.campaignId" → "campaignId". */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String field = null;
        for (Path.Node node : violation.getPropertyPath()) {
            field = node.getName();
        }
        return field == null ? "body" : field;
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String expectation(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "has the wrong type";
        }
        if (target.isEnum()) {
            return "must be one of " + Arrays.stream(target.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (target == LocalDate.class) {
            return "must be an ISO-8601 date such as 2026-03-31";
        }
        if (target == Instant.class) {
            return "must be an ISO-8601 instant with offset such as 2026-03-31T12:00:00Z";
        }
        if (target == BigDecimal.class || Number.class.isAssignableFrom(target)) {
            return "must be a number";
        }
        if (target == String.class) {
            return "must be a string";
        }
        if (e instanceof InvalidFormatException) {
            return "has an invalid value";
        }
        return "must be a JSON object";
    }

    private static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            // a connection of the transaction failed while the database went away, so Narayana aborted it and the
            // next connection could not join: nothing was committed, and the same request may simply be sent again
            if (t instanceof jakarta.transaction.RollbackException) {
                return true;
            }
            // Axon could not even get a connection (whatever the pool or the driver reported, e.g. a connect
            // interrupted at the pool's acquisition timeout while PostgreSQL restarts): nothing was written
            if ((t instanceof EventStoreException || t instanceof JdbcException)
                    && t.getMessage() != null && t.getMessage().startsWith("Failed to obtain a database connection")) {
                return true;
            }
            // Agroal's pool found no connection within its acquisition timeout (the database is away, or every
            // connection is stuck on it): a plain SQLException without a SQL state, caused by a TimeoutException
            if (t instanceof SQLException && t.getCause() instanceof TimeoutException) {
                return true;
            }
            // 08: connection exceptions; 57P01-57P03: the server is shutting down, crashed, or not accepting yet
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }
}
