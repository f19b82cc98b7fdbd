package com.kpiledger.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers why a read model's processor is stuck. A failed batch (a handler's exception, or its commit's) makes Axon
 * abort the segment, release it and claim it again later: its status shows the error only for that moment. So each
 * projected event's rollback is recorded here, and the read model counts as failing until its position has passed
 * the failed events, which means they were applied after all.
 */
@ApplicationScoped
public class ReadModelFailures {

    private static final Logger LOG = Logger.getLogger(ReadModelFailures.class);

    /** The highest position of a batch that rolled back, what it was, and why. */
    public record Failure(long position, String eventType, String cause, Instant at) {
    }

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    /** The interceptor that records rollbacks of the given read model's batches. */
    MessageHandlerInterceptor<EventMessage<?>> recorderFor(String readModel) {
        return new MessageHandlerInterceptor<>() {
            @Override
            public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                    throws Exception {
                EventMessage<?> event = unitOfWork.getMessage();
                unitOfWork.onRollback(rolledBack -> record(readModel, event, Optional
                        .ofNullable(rolledBack.getExecutionResult()).map(ExecutionResult::getExceptionResult)
                        .orElse(null)));
                return chain.proceed();
            }
        };
    }

    private void record(String readModel, EventMessage<?> event, Throwable cause) {
        long position = event instanceof TrackedEventMessage<?> tracked
                ? tracked.trackingToken().position().orElse(-1) : -1;
        String eventType;
        try {
            eventType = event.getPayloadType().getSimpleName();
        } catch (RuntimeException undeserialisable) {
            eventType = "unknown";
        }
        Failure failure = new Failure(position, eventType, cause == null ? "rolled back" : cause.toString(),
                Instant.now());
        Failure previous = failures.merge(readModel, failure,
                (known, recorded) -> recorded.position() > known.position() ? recorded : known);
        if (previous == failure) {
            LOG.errorf("Read model %s failed to apply %s at position %d: %s; its segment is retried", readModel,
                    eventType, position, failure.cause());
        }
    }

    /**
     * The read model's failure, unless it has since applied every event up to the failed position (then it is
     * forgotten).
     */
    public Optional<Failure> current(String readModel, long position) {
        Failure failure = failures.get(readModel);
        if (failure != null && position >= failure.position()) {
            if (failures.remove(readModel, failure)) {
                LOG.infof("Read model %s has applied position %d again after its failure", readModel,
                        failure.position());
            }
            return Optional.empty();
        }
        return Optional.ofNullable(failure);
    }

    /** A rebuild starts from the first event: earlier failures say nothing about it. */
    void forget(String readModel) {
        failures.remove(readModel);
    }
}
