package com.kpiledger.config;

import com.kpiledger.audit.KpiSnapshots;
import com.kpiledger.audit.KpiVerifier;
import com.kpiledger.audit.Restatements;
import com.kpiledger.command.Campaign;
import com.kpiledger.command.Lead;
import com.kpiledger.query.funnel.FunnelProjection;
import com.kpiledger.query.history.EventHistoryQueryHandler;
import com.kpiledger.query.kpi.KpiQueryHandler;
import com.kpiledger.query.spend.SpendProjection;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.serialization.Serializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Axon Framework wired into Quarkus by hand (no extension fits): a JDBC event store and token store on the Quarkus
 * datasource, Narayana transactions, Jackson for everything stored. Built and started on StartupEvent, shut down on
 * ShutdownEvent, which dev mode fires on every reload too. The gateways are produced for the rest of the application.
 */
@ApplicationScoped
public class AxonConfiguration {

    private static final Logger LOG = Logger.getLogger(AxonConfiguration.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    jakarta.transaction.TransactionManager jta;

    @Inject
    SpendProjection spendProjection;

    @Inject
    FunnelProjection funnelProjection;

    @Inject
    KpiQueryHandler kpiQueryHandler;

    @Inject
    KpiVerifier kpiVerifier;

    @Inject
    KpiSnapshots kpiSnapshots;

    @Inject
    Restatements restatements;

    @Inject
    ProjectionProcessors projectionProcessors;

    @Inject
    ClusterNodes clusterNodes;

    @Inject
    ReadModelFailures readModelFailures;

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeterRegistry meterRegistry;

    @Inject
    TransactionSynchronizationRegistry transactionRegistry;

    @ConfigProperty(name = "kpi-ledger.node-id")
    String nodeId;

    /** Aggregates kept in memory per type; a campaign with a year of daily spend lines takes some 50 kB. */
    @ConfigProperty(name = "kpi-ledger.aggregate-cache.campaigns", defaultValue = "1024")
    int cachedCampaigns;

    @ConfigProperty(name = "kpi-ledger.aggregate-cache.leads", defaultValue = "8192")
    int cachedLeads;

    @ConfigProperty(name = "kpi-ledger.projections.segments", defaultValue = "4")
    int segments;

    @ConfigProperty(name = "kpi-ledger.projections.batch-size", defaultValue = "1000")
    int batchSize;

    @ConfigProperty(name = "kpi-ledger.event-store.read-batch-size", defaultValue = "1000")
    int readBatchSize;

    private volatile Configuration configuration;
    private ScheduledExecutorService retryExecutor;

    void onStart(@Observes StartupEvent event) {
        configuration();
    }

    void onStop(@Observes ShutdownEvent event) {
        Configuration started = configuration;
        if (started != null) {
            LOG.info("Shutting down Axon");
            started.shutdown();
            retryExecutor.shutdownNow();
            configuration = null;
        }
    }

    boolean isRunning() {
        return configuration != null;
    }

    synchronized Configuration configuration() {
        if (configuration == null) {
            configuration = build();
            configuration.start();
            LOG.infof("Axon started (node %s)", nodeId);
        }
        return configuration;
    }

    private Configuration build() {
        System.setProperty("disable-axoniq-console-message", "true");
        TransactionManager transactionManager = new JtaTransactionManager(jta);
        Serializer serializer = AxonSerializers.jackson(Thread.currentThread().getContextClassLoader());
        // Agroal enlists each connection in the JTA transaction; Axon must not commit it itself, so no
        // UnitOfWorkAwareConnectionProviderWrapper here
        ConnectionProvider connections = dataSource::getConnection;
        retryExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });

        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureTransactionManager(c -> transactionManager)
                .registerComponent(EventStorageEngine.class, c -> new LedgerJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                        .connectionProvider(connections)
                        .transactionManager(c.getComponent(TransactionManager.class))
                        .eventSerializer(c.eventSerializer())
                        .snapshotSerializer(c.serializer())
                        .upcasterChain(c.upcasterChain())
                        .persistenceExceptionResolver(new SQLStateResolver())
                        .snapshotFilter(c.snapshotFilter())
                        // rows per query when streaming the store (processors, replays, audits); Axon's 100 made a
                        // rebuild or a verification of 200,000 events 2,000 queries, each in its own transaction
                        .batchSize(readBatchSize)))
                .configureEmbeddedEventStore(c -> c.getComponent(EventStorageEngine.class))
                // the target aggregate's annotated members found once per command class, not on every command
                .registerComponent(CommandTargetResolver.class, c -> new CachingCommandTargetResolver())
                .registerEventUpcaster(c -> new DealClosedEventUpcaster())
                .configureCorrelationDataProviders(c -> List.of(new MessageOriginProvider(), new CommandNameProvider()))
                .registerComponent(CommandGateway.class, c -> DefaultCommandGateway.builder()
                        .commandBus(c.commandBus())
                        .retryScheduler(new ConcurrencyRetry(retryExecutor))
                        .build())
                // no replay of a whole stream per command; see StoreCheckedAggregateCache for why it is safe with
                // several nodes and with batches that roll back
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Campaign.class)
                        .configureCache(c -> aggregateCache(c, cachedCampaigns)))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Lead.class)
                        .configureCache(c -> aggregateCache(c, cachedLeads)))
                .registerQueryHandler(c -> new EventHistoryQueryHandler(
                        c.getComponent(EventStorageEngine.class), connections, transactionManager))
                .registerQueryHandler(c -> kpiQueryHandler)
                .registerQueryHandler(c -> kpiVerifier)
                .registerQueryHandler(c -> kpiSnapshots)
                .registerCommandHandler(c -> kpiSnapshots)
                .registerQueryHandler(c -> restatements)
                .registerQueryHandler(c -> projectionProcessors)
                .registerQueryHandler(c -> clusterNodes)
                .registerCommandHandler(c -> projectionProcessors)
                .registerQueryHandler(c -> deadLetters)
                .registerCommandHandler(c -> deadLetters);
        EventProcessingConfigurer processing = configurer.eventProcessing()
                .registerTokenStore(c -> JdbcTokenStore.builder()
                        .connectionProvider(connections)
                        .serializer(c.serializer())
                        .nodeId(nodeId)
                        .build())
                // a failing handler must stop its segment and retry, never log and skip: a skipped event is a wrong KPI
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                .registerDefaultHandlerInterceptor((c, processorName) -> new LogCorrelation<>());
        for (String readModel : ProjectionProcessors.READ_MODELS) {
            processing.registerPooledStreamingEventProcessor(readModel, Configuration::eventStore,
                    (c, builder) -> builder
                            .initialToken(StreamableMessageSource::createTailToken)
                            .initialSegmentCount(segments)
                            // claim free segments within a second of starting (Axon's default waits 5 s)
                            .tokenClaimInterval(1000)
                            // store the token of a segment without work within a second, so that other nodes (which
                            // read positions from the token store) see it advance; Axon's default waits 5 s
                            .claimExtensionThreshold(1000)
                            .batchSize(batchSize));
            processing.registerHandlerInterceptor(readModel, c -> readModelFailures.recorderFor(readModel));
            // Axon's meters for the processor, resolved once per payload type instead of once per event
            processing.registerMessageMonitorFactory(readModel,
                    (c, componentType, name) -> new ProcessorMetrics(name, meterRegistry));
        }
        // an event whose handler fails is parked with the later events of its aggregate; other aggregates flow on
        for (String readModel : ProjectionProcessors.READ_MODELS) {
            processing.registerDeadLetterQueue(readModel, c -> DeadLetters.queue(readModel, connections, c))
                    .registerDeadLetteringEventHandlerInvokerConfiguration(readModel,
                            (c, invoker) -> DeadLetters.configure(invoker, jta));
        }
        processing.registerEventHandler(c -> spendProjection)
                .registerEventHandler(c -> funnelProjection);
        // Axon's own meters: commands, events and queries (the read models' processors: ProcessorMetrics, same meters)
        new GlobalMetricRegistry(meterRegistry).registerWithConfigurerWithDefaultTags(configurer);
        // the same meters for the buses, with a capacity window that does not hold ten minutes of messages in the heap
        configurer.configureMessageMonitor(CommandBus.class, BusMetrics.factory(meterRegistry))
                .configureMessageMonitor(QueryBus.class, BusMetrics.factory(meterRegistry));
        Configuration built = configurer.buildConfiguration();
        built.commandBus().registerHandlerInterceptor(new LogCorrelation<>());
        built.commandBus().registerHandlerInterceptor(new CommandMetrics(meterRegistry));
        return built;
    }

    private Cache aggregateCache(Configuration c, int capacity) {
        if (capacity <= 0) {
            return NoCache.INSTANCE;
        }
        return new StoreCheckedAggregateCache(capacity, transactionRegistry,
                () -> c.getComponent(EventStorageEngine.class));
    }

    @Produces
    @ApplicationScoped
    CommandGateway commandGateway() {
        return configuration().commandGateway();
    }

    @Produces
    @ApplicationScoped
    QueryGateway queryGateway() {
        return configuration().queryGateway();
    }

    @Produces
    @ApplicationScoped
    EventStore eventStore() {
        return configuration().eventStore();
    }

    /** The storage engine itself: audits read raw events from it, bypassing every read model. */
    @Produces
    @ApplicationScoped
    EventStorageEngine storageEngine() {
        return configuration().getComponent(EventStorageEngine.class);
    }

    /** The serializer of stored messages (not the REST one): digests of events are taken over its bytes. */
    @Produces
    @ApplicationScoped
    Serializer eventSerializer() {
        return configuration().eventSerializer();
    }

    /** Names the command that caused each event, so that an auditor reading a history sees why it is there. */
    private static final class CommandNameProvider implements CorrelationDataProvider {

        @Override
        public Map<String, ?> correlationDataFor(Message<?> message) {
            if (message instanceof CommandMessage<?> command) {
                return Map.of("commandName", command.getPayloadType().getSimpleName());
            }
            return Map.of();
        }
    }
}
