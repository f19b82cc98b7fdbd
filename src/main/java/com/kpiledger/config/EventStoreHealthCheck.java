package com.kpiledger.config;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Ready only when the event store's table answers (not merely when a connection opens) and Axon is running;
 * reports the head of the store so an operator can see it advance.
 */
@Readiness
@ApplicationScoped
public class EventStoreHealthCheck implements HealthCheck {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AxonConfiguration axon;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event-store");
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(5);
            try (ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(globalIndex), 0) FROM DomainEventEntry")) {
                rows.next();
                response.withData("headPosition", rows.getLong(1));
            }
            boolean running = axon.isRunning();
            return response.withData("axon", running ? "running" : "stopped").status(running).build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
