package com.kpiledger.demo;

import com.kpiledger.coreapi.history.FindStoreHeadQuery;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Iterator;
import java.util.Locale;

/**
 * With {@code kpi-ledger.demo-data=S} (or M, L; default off), sends a generated CRM history through the command
 * gateway at startup, so that a fresh service has something to show. Only into an empty store: a store that holds
 * any event is somebody's data, and mixing a demo into it would corrupt its KPIs. The commands go on a thread of
 * their own, in delivery order, one at a time (their order matters per aggregate), while the service already answers.
 */
@ApplicationScoped
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);

    @Inject
    CommandGateway commandGateway;

    @Inject
    QueryGateway queryGateway;

    @ConfigProperty(name = "kpi-ledger.demo-data", defaultValue = "off")
    String demoData;

    @ConfigProperty(name = "kpi-ledger.demo-data.seed", defaultValue = "2025")
    long seed;

    private volatile Thread loader;

    void onStart(@Observes StartupEvent event) {
        if ("off".equalsIgnoreCase(demoData.trim())) {
            return;
        }
        HistoryTier tier = HistoryTier.valueOf(demoData.trim().toUpperCase(Locale.ROOT));
        Long head = queryGateway.query(new FindStoreHeadQuery(), Long.class).join();
        if (head >= 0) {
            LOG.infof("Demo data %s not loaded: the event store is not empty (head position %d)", tier, head);
            return;
        }
        loader = new Thread(() -> load(tier), "demo-data");
        loader.setDaemon(true);
        loader.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread running = loader;
        if (running != null) {
            running.interrupt();
        }
    }

    private void load(HistoryTier tier) {
        LOG.infof("Loading demo data: tier %s, seed %d, business year %s", tier, seed, CrmHistory.FIRST_DAY.getYear());
        long started = System.nanoTime();
        long sent = 0;
        Iterator<Object> commands = new CrmHistory(tier, seed);
        while (commands.hasNext() && !Thread.currentThread().isInterrupted()) {
            commandGateway.sendAndWait(commands.next());
            sent++;
            if (sent % 5_000 == 0) {
                LOG.infof("Demo data: %d commands sent", sent);
            }
        }
        LOG.infof("Demo data %s: %d commands sent in %.1f s%s", tier, sent, (System.nanoTime() - started) / 1e9,
                commands.hasNext() ? " (stopped by shutdown before the end)" : "");
    }
}
