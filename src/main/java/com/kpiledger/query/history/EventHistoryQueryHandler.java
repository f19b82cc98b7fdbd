package com.kpiledger.query.history;

import com.kpiledger.coreapi.history.EventHistoryView;
import com.kpiledger.coreapi.history.FetchEventHistoryQuery;
import com.kpiledger.coreapi.history.RecordedEventView;
import com.kpiledger.coreapi.shared.AggregateIds;
import com.kpiledger.coreapi.shared.LedgerEvent;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.queryhandling.QueryHandler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An aggregate's stored history, read from the event store itself (not from a read model), so it shows exactly what
 * the store holds: payloads through the upcaster chain, and the global position of every event beside it.
 */
public class EventHistoryQueryHandler {

    private static final String POSITIONS_SQL =
            "SELECT sequenceNumber, globalIndex FROM DomainEventEntry WHERE aggregateIdentifier = ?";

    private final EventStorageEngine storageEngine;
    private final ConnectionProvider connections;
    private final TransactionManager transactionManager;

    public EventHistoryQueryHandler(EventStorageEngine storageEngine, ConnectionProvider connections,
                                    TransactionManager transactionManager) {
        this.storageEngine = storageEngine;
        this.connections = connections;
        this.transactionManager = transactionManager;
    }

    /** Empty when the aggregate has no events, which the caller reports as unknown. */
    @QueryHandler
    public Optional<EventHistoryView> handle(FetchEventHistoryQuery query) {
        String streamId = switch (query.kind()) {
            case "campaign" -> AggregateIds.campaign(query.id());
            case "lead" -> AggregateIds.lead(query.id());
            default -> throw new IllegalArgumentException("unknown aggregate kind " + query.kind());
        };
        return transactionManager.fetchInTransaction(() -> read(query, streamId));
    }

    private Optional<EventHistoryView> read(FetchEventHistoryQuery query, String streamId) {
        Map<Long, Long> positions = positionsBySequence(streamId);
        List<RecordedEventView> events = new ArrayList<>();
        DomainEventStream stream = storageEngine.readEvents(streamId);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            Object payload = message.getPayload();
            String businessTime = payload instanceof LedgerEvent ledgerEvent
                    ? String.valueOf(ledgerEvent.businessTime()) : null;
            events.add(new RecordedEventView(
                    positions.getOrDefault(message.getSequenceNumber(), -1L),
                    message.getSequenceNumber(),
                    message.getPayloadType().getSimpleName(),
                    businessTime,
                    message.getTimestamp(),
                    (String) message.getMetaData().get("commandName"),
                    (String) message.getMetaData().get("correlationId"),
                    message.getIdentifier(),
                    payload));
        }
        return events.isEmpty() ? Optional.empty() : Optional.of(new EventHistoryView(query.kind(), query.id(), events));
    }

    private Map<Long, Long> positionsBySequence(String streamId) {
        Map<Long, Long> positions = new HashMap<>();
        try (Connection connection = connections.getConnection();
             PreparedStatement statement = connection.prepareStatement(POSITIONS_SQL)) {
            statement.setString(1, streamId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    positions.put(rows.getLong(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the positions of " + streamId, e);
        }
        return positions;
    }
}
