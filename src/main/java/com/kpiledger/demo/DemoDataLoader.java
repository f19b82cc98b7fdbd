package com.kpiledger.demo;

import com.kpiledger.coreapi.history.FindStoreHeadQuery;
import com.kpiledger.ingest.ChunkedIngest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.axonframework.queryhandling.QueryGateway;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * With {@code kpi-ledger.demo-data=S} (or M, L; default off), sends a generated CRM history through the command
 * gateway at startup, so that a fresh service has something to show. Only into an empty store: a store that holds
 * any event is somebody's data, and mixing a demo into it would corrupt its KPIs. The commands go on a thread of
 * their own, in delivery order, through the same chunked ingest as a CRM's batch, while the service already answers.
 */
@ApplicationScoped
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);
    private static final int BATCH = 1_000;

    @Inject
    ChunkedIngest ingest;

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
        long refused = 0;
        Iterator<Object> commands = new CrmHistory(tier, seed);
        List<Object> batch = new ArrayList<>(BATCH);
        while (commands.hasNext() && !Thread.currentThread().isInterrupted()) {
            batch.add(commands.next());
            if (batch.size() == BATCH || !commands.hasNext()) {
                refused += ingest.send(batch).stream().filter(result -> result.refusal() != null).count();
                sent += batch.size();
                batch.clear();
                if (sent % 5_000 < BATCH) {
                    LOG.infof("Demo data: %d commands sent", sent);
                }
            }
        }
        if (refused > 0) {
            // the generator only makes commands that are valid in its order; a refusal is a bug worth seeing
            LOG.warnf("Demo data: %d commands were refused", refused);
        }
        LOG.infof("Demo data %s: %d commands sent in %.1f s%s", tier, sent, (System.nanoTime() - started) / 1e9,
                commands.hasNext() ? " (stopped by shutdown before the end)" : "");
    }
}
