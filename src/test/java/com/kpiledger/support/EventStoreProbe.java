package com.kpiledger.support;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the event store's table directly, so tests check what is stored, not what the API says it stored. */
@ApplicationScoped
public class EventStoreProbe {

    @Inject
    AgroalDataSource dataSource;

    public long eventCount() {
        return queryLong("SELECT COUNT(*) FROM DomainEventEntry");
    }

    /** Payload types (simple names) of a stream, in sequence order. */
    public List<String> eventTypes(String streamId) {
        List<String> types = new ArrayList<>();
        for (String type : queryStrings("SELECT payloadType FROM DomainEventEntry WHERE aggregateIdentifier = ? ORDER BY sequenceNumber", streamId)) {
            types.add(type.substring(type.lastIndexOf('.') + 1));
        }
        return types;
    }

    public List<Long> sequenceNumbers(String streamId) {
        List<Long> numbers = new ArrayList<>();
        for (String n : queryStrings("SELECT sequenceNumber FROM DomainEventEntry WHERE aggregateIdentifier = ? ORDER BY sequenceNumber", streamId)) {
            numbers.add(Long.parseLong(n));
        }
        return numbers;
    }

    public String databaseProduct() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long queryLong(String sql) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> queryStrings(String sql, String parameter) {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }
}
