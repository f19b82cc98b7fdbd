package com.kpiledger.query.history;

import com.kpiledger.coreapi.history.EventHistoryView;
import com.kpiledger.coreapi.history.FetchEventHistoryQuery;
import com.kpiledger.coreapi.history.FindStoreHeadQuery;
import com.kpiledger.coreapi.history.FindStreamPositionQuery;
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

    private static final String LAST_POSITION_SQL =
            "SELECT MAX(globalIndex) FROM DomainEventEntry WHERE aggregateIdentifier = ?";

    private static final String HEAD_SQL = "SELECT MAX(globalIndex) FROM DomainEventEntry";

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
        String streamId = streamId(query.kind(), query.id());
        return transactionManager.fetchInTransaction(() -> read(query, streamId));
    }

    /** Where a command's events landed: a CRM passes it back as minPosition to read its own writes. */
    @QueryHandler
    public Long handle(FindStreamPositionQuery query) {
        String streamId = streamId(query.kind(), query.id());
        return maxPosition(LAST_POSITION_SQL, streamId);
    }

    @QueryHandler
    public Long handle(FindStoreHeadQuery query) {
        return maxPosition(HEAD_SQL, null);
    }

    /** -1 when there is no event to take the maximum of. */
    private long maxPosition(String sql, String streamId) {
        return transactionManager.fetchInTransaction(() -> {
            try (Connection connection = connections.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                if (streamId != null) {
                    statement.setString(1, streamId);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long position = rows.getLong(1);
                    return rows.wasNull() ? -1L : position;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not read a store position" + (streamId == null ? "" : " of " + streamId), e);
            }
        });
    }

    private static String streamId(String kind, String id) {
        return switch (kind) {
            case "campaign" -> AggregateIds.campaign(id);
            case "lead" -> AggregateIds.lead(id);
            default -> throw new IllegalArgumentException("unknown aggregate kind " + kind);
        };
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
