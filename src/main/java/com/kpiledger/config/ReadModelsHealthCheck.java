package com.kpiledger.config;

import com.kpiledger.coreapi.admin.ProjectionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while a read model's processor is stopped in error: its figures would silently fall behind. Lag and
 * rebuilds do not make the node unready (answers then say so themselves: position, or 503 while rebuilding).
 */
@Readiness
@ApplicationScoped
public class ReadModelsHealthCheck implements HealthCheck {

    @Inject
    ProjectionProcessors processors;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("read-models").up();
        try {
            for (String name : ProjectionProcessors.READ_MODELS) {
                ProjectionView view = processors.status(name);
                response.withData(name, view.state() + " at " + view.position() + ", lag " + view.lag());
                if ("ERROR".equals(view.state())) {
                    response.down().withData(name + ".error", String.valueOf(view.error()));
                }
            }
        } catch (RuntimeException e) {
            response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return response.build();
    }
}
