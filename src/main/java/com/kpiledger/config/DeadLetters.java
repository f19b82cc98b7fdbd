package com.kpiledger.config;

import com.kpiledger.coreapi.admin.DeadLetterRetryView;
import com.kpiledger.coreapi.admin.DeadLetterView;
import com.kpiledger.coreapi.admin.FetchDeadLettersQuery;
import com.kpiledger.coreapi.admin.RetryDeadLettersCommand;
import com.kpiledger.coreapi.shared.UnknownEntityException;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.queryhandling.QueryHandler;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The read models' dead-letter queues (table {@code DeadLetterEntry}): an event whose handler fails is parked there
 * with every later event of the same aggregate, while other aggregates keep flowing. Lists them, counts them (health
 * and metric) and retries them.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    AxonConfiguration axon;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    /** Retries run here, outside any request's unit of work, so that each letter gets transactions of its own. */
    private final ExecutorService retries = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dead-letter-retry");
        thread.setDaemon(true);
        return thread;
    });

    void registerMeters(@Observes StartupEvent event) {
        for (String readModel : ProjectionProcessors.READ_MODELS) {
            Gauge.builder("kpi_ledger.dead_letters", this, d -> {
                        try {
                            return d.count(readModel);
                        } catch (RuntimeException unavailable) {
                            return Double.NaN;
                        }
                    })
                    .description("Events parked in the read model's dead-letter queue (the failed ones and those "
                            + "of the same aggregate waiting behind them)")
                    .tag("read_model", readModel)
                    .register(registry);
        }
    }

    /** The read model's queue on the table {@code DeadLetterEntry} (V5), in the transaction of the batch that parks. */
    static SequencedDeadLetterQueue<EventMessage<?>> queue(String readModel, ConnectionProvider connections,
                                                           Configuration configuration) {
        return JdbcSequencedDeadLetterQueue.builder()
                .processingGroup(readModel)
                .connectionProvider(connections)
                .transactionManager(configuration.getComponent(TransactionManager.class))
                .genericSerializer(configuration.serializer())
                .eventSerializer(configuration.eventSerializer())
                .build();
    }

    /**
     * Retries handle each letter in a transaction of its own; a rebuild empties the queue with the read model (the
     * replay parks the same events again); and the per-segment cache spares a query per event while nothing is
     * parked.
     */
    static DeadLetteringEventHandlerInvoker.Builder configure(DeadLetteringEventHandlerInvoker.Builder invoker,
                                                              jakarta.transaction.TransactionManager jta) {
        return invoker.transactionManager(new IsolatedJtaTransactionManager(jta))
                .enqueuePolicy(DeadLetters::decide)
                .allowReset(true)
                .enableSequenceIdentifierCache();
    }

    /**
     * Parks the event, unless the database itself failed (connection lost, serialization failure, deadlock): that is
     * no fault of the event, so the batch fails and the processor retries it, as it would without a queue.
     */
    static EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("40")
                    || sql.getSQLState().startsWith("57"))) {
                throw cause instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("Database failure while handling an event", cause);
            }
        }
        return Decisions.enqueue(ThrowableCause.truncated(cause));
    }

    /** Letters parked for one read model. */
    public long count(String readModel) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM DeadLetterEntry WHERE processingGroup = ?")) {
            statement.setString(1, readModel);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the dead letters of " + readModel, e);
        }
    }

    @QueryHandler
    public List<DeadLetterView> handle(FetchDeadLettersQuery query) {
        List<DeadLetterView> letters = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT d.processingGroup, d.sequenceIdentifier, d.sequenceIndex, d.eventIdentifier, e.globalIndex,
                            d.payloadType, d.enqueuedAt, d.lastTouched, d.causeType, d.causeMessage
                     FROM DeadLetterEntry d LEFT JOIN DomainEventEntry e ON e.eventIdentifier = d.eventIdentifier
                     ORDER BY d.processingGroup, d.enqueuedAt, d.sequenceIdentifier, d.sequenceIndex""");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                long position = rows.getLong(5);
                Long globalIndex = rows.wasNull() ? null : position;
                letters.add(new DeadLetterView(rows.getString(1), rows.getString(2), rows.getLong(3),
                        rows.getString(4), globalIndex, rows.getString(6), rows.getString(7), rows.getString(8),
                        rows.getString(9), rows.getString(10)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the dead letters", e);
        }
        return letters;
    }

    /**
     * Tries every parked sequence of the read model once: each sequence's letters are handed to the handlers in order,
     * each in its own transaction; a letter that succeeds is removed, the first one that fails again stays parked
     * (with its new cause) together with the letters behind it.
     */
    @CommandHandler
    public DeadLetterRetryView handle(RetryDeadLettersCommand command) throws InterruptedException {
        String readModel = command.readModel();
        if (!ProjectionProcessors.READ_MODELS.contains(readModel)) {
            throw new UnknownEntityException("readModel",
                    "No read model '" + readModel + "'; there are " + ProjectionProcessors.READ_MODELS);
        }
        try {
            return retries.submit(() -> retry(readModel)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private DeadLetterRetryView retry(String readModel) {
        SequencedDeadLetterProcessor<EventMessage<?>> processor = axon.configuration().eventProcessingConfiguration()
                .sequencedDeadLetterProcessor(readModel)
                .orElseThrow(() -> new IllegalStateException("No dead-letter queue for " + readModel));
        long sequences = axon.configuration().eventProcessingConfiguration().deadLetterQueue(readModel)
                .map(queue -> queue.amountOfSequences()).orElse(0L);
        long applied = 0;
        // a sequence that fails again is touched last, so each pass over the queue tries every sequence once
        for (long i = 0; i < sequences; i++) {
            if (processor.processAny()) {
                applied++;
            }
        }
        long left = count(readModel);
        String firstCause = handle(new FetchDeadLettersQuery()).stream()
                .filter(letter -> letter.readModel().equals(readModel) && letter.cause() != null)
                .map(DeadLetterView::cause).findFirst().orElse(null);
        LOG.infof("Dead letters of %s retried: %d of %d sequences applied, %d letters left", readModel, applied,
                sequences, left);
        return new DeadLetterRetryView(readModel, sequences, applied, left, firstCause);
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
