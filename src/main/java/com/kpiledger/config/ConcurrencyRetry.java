package com.kpiledger.config;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two writers racing on one aggregate: the loser's append hits the store's unique key and fails. Sending its command
 * again replays it on the winner's events, where it is applied, answered as an identical retry, or refused as a
 * conflict. Only such races are retried; every other failure (the domain's refusals above all) is final.
 * (Axon's IntervalRetryScheduler cannot express this: it treats a failure as final when any cause in its chain
 * matches, and every race has a plain SQLException at the bottom.)
 */
final class ConcurrencyRetry implements RetryScheduler {

    static final int MAX_RETRIES = 10;
    private static final int BASE_INTERVAL_MS = 5;

    private final ScheduledExecutorService executor;

    ConcurrencyRetry(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable dispatchTask) {
        if (!isWriteRace(lastFailure) || failures.size() > MAX_RETRIES || executor.isShutdown()) {
            return false;
        }
        // jitter spreads racing writers apart so the next round does not collide again
        long delay = (long) BASE_INTERVAL_MS * failures.size() + ThreadLocalRandom.current().nextInt(BASE_INTERVAL_MS * 2);
        executor.schedule(dispatchTask, delay, TimeUnit.MILLISECONDS);
        return true;
    }

    static boolean isWriteRace(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }
}
