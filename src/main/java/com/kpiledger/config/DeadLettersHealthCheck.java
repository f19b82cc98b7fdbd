package com.kpiledger.config;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * A wellness check ({@code /q/health/well}), DOWN while any event is parked in a read model's dead-letter queue.
 * Deliberately not a readiness check: the node still answers correctly for every other aggregate, and taking it out
 * of the load balancer would not unpark anything. The same counts are the metric {@code kpi_ledger_dead_letters}.
 */
@Wellness
@ApplicationScoped
public class DeadLettersHealthCheck implements HealthCheck {

    @Inject
    DeadLetters deadLetters;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("dead-letters").up();
        try {
            for (String readModel : ProjectionProcessors.READ_MODELS) {
                long parked = deadLetters.count(readModel);
                response.withData(readModel, parked);
                if (parked > 0) {
                    response.down();
                }
            }
        } catch (RuntimeException e) {
            response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return response.build();
    }
}
