package com.kpiledger.ingest;

import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.coreapi.shared.LedgerException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends commands in order, {@value #CHUNK_SIZE} to a database transaction instead of one each, because a commit (a
 * WAL flush) per event is what caps single-command ingest. Axon's transaction manager joins the transaction opened
 * here, so the events of every command of a chunk are appended and committed together.
 *
 * <p>The guarantee: an outcome is reported only once its events are committed, and a refused command never takes
 * another command's events with it. A chunk is first tried as one transaction; if any of its commands is refused
 * (Axon then marks the whole transaction rollback-only) or the commit fails, nothing of the chunk is stored and the
 * chunk is sent again one command per transaction, which gives each command its own outcome or refusal. Chunks
 * committed before a failure of the store itself stay committed and the failure is thrown; sending the same
 * commands again is safe, because an identical command is UNCHANGED.
 *
 * <p>One imprecision: a command that loses a write race with another node is retried by the gateway on its own
 * thread, outside this transaction, and commits there; the chunk is then sent again one by one, and that command
 * answers UNCHANGED although this request stored it.
 */
@ApplicationScoped
public class ChunkedIngest {

    /** Short enough that a chunk's transaction stays far below the processors' gap timeout; see docs/performance.md. */
    public static final int CHUNK_SIZE = 100;

    private static final Logger LOG = Logger.getLogger(ChunkedIngest.class);

    @Inject
    CommandGateway commandGateway;

    @Inject
    TransactionManager transactions;

    /** A command's outcome, or why it was refused (then {@code outcome} is null). */
    public record Result(CommandOutcome outcome, RuntimeException refusal) {
    }

    /** One result per command, in the commands' order. */
    public List<Result> send(List<?> commands) {
        List<Result> results = new ArrayList<>(commands.size());
        for (int from = 0; from < commands.size(); from += CHUNK_SIZE) {
            List<?> chunk = commands.subList(from, Math.min(commands.size(), from + CHUNK_SIZE));
            List<Result> together = sendTogether(chunk);
            results.addAll(together != null ? together : sendOneByOne(chunk));
        }
        return results;
    }

    /** The chunk's results once committed, or null when nothing of it was stored. */
    private List<Result> sendTogether(List<?> chunk) {
        List<Result> results = new ArrayList<>(chunk.size());
        try {
            transactions.begin();
            for (Object command : chunk) {
                results.add(new Result(commandGateway.sendAndWait(command), null));
            }
            transactions.commit();
            return results;
        } catch (Exception refusedOrNotCommitted) {
            rollbackIfActive();
            LOG.debugf("A chunk of %d commands was not stored together (%s); sending them one by one",
                    chunk.size(), refusedOrNotCommitted.toString());
            return null;
        }
    }

    private List<Result> sendOneByOne(List<?> chunk) {
        List<Result> results = new ArrayList<>(chunk.size());
        for (Object command : chunk) {
            try {
                results.add(new Result(commandGateway.sendAndWait(command), null));
            } catch (RuntimeException refusal) {
                if (!isRefusal(refusal)) {
                    throw refusal;
                }
                results.add(new Result(null, refusal));
            }
        }
        return results;
    }

    private void rollbackIfActive() {
        try {
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transactions.rollback();
            }
        } catch (SystemException e) {
            throw new IllegalStateException("Could not roll back a chunk's transaction", e);
        }
    }

    /**
     * What the command itself earns (invalid, conflicting, unknown aggregate, a write race that outlasted the retries)
     * as opposed to failures of the service or the store, which the caller must learn rather than an item.
     */
    private static boolean isRefusal(RuntimeException e) {
        return e instanceof LedgerException || e instanceof AggregateNotFoundException || e instanceof ConcurrencyException
                || e instanceof AggregateStreamCreationException;
    }
}
