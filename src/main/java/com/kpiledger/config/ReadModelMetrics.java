package com.kpiledger.config;

import com.kpiledger.coreapi.admin.ProjectionView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.function.ToDoubleFunction;

/**
 * Gauges of every read model, read when Prometheus scrapes: events behind the head of the store
 * ({@code kpi_ledger_read_model_lag_events}), position, and rebuild progress in percent (-1 when not rebuilding).
 */
@ApplicationScoped
public class ReadModelMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    ProjectionProcessors processors;

    void register(@Observes StartupEvent event) {
        for (String name : ProjectionProcessors.READ_MODELS) {
            gauge("kpi_ledger.read_model.lag.events", "Events the read model is behind the head of the store", name,
                    view -> view.lag());
            gauge("kpi_ledger.read_model.lag.seconds", "Seconds the oldest event not yet applied has waited", name,
                    view -> view.lagSeconds().doubleValue());
            gauge("kpi_ledger.read_model.position", "Store position the read model has applied", name,
                    view -> view.position());
            gauge("kpi_ledger.read_model.rebuild.progress.percent", "Rebuild progress, -1 when not rebuilding", name,
                    view -> view.progressPercent() == null ? -1 : view.progressPercent().doubleValue());
        }
    }

    private void gauge(String meter, String description, String readModel, ToDoubleFunction<ProjectionView> value) {
        Gauge.builder(meter, processors, p -> {
                    try {
                        return value.applyAsDouble(p.status(readModel));
                    } catch (RuntimeException unavailable) {
                        return Double.NaN;
                    }
                })
                .description(description)
                .tag("read_model", readModel)
                .register(registry);
    }
}
