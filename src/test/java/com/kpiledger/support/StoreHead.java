package com.kpiledger.support;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The head of the event store, read from its table: the global position of the newest event (-1 when empty). */
@ApplicationScoped
public class StoreHead {

    @Inject
    AgroalDataSource dataSource;

    public long headPosition() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT MAX(globalIndex) FROM DomainEventEntry");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            long head = rows.getLong(1);
            return rows.wasNull() ? -1 : head;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
