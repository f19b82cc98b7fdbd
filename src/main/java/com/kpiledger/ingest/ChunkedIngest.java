package com.kpiledger.ingest;

import com.kpiledger.coreapi.shared.CommandOutcome;
import com.kpiledger.coreapi.shared.LedgerException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
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
 * <p>One imprecision, in the one-by-one mode only: a command that loses a write race with another node is retried by
 * the gateway on its own thread, outside any chunk, and commits there. (Together, a race fails the chunk's append,
 * after every command was answered, so the gateway retries nothing and the chunk goes one by one.)
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

    /**
     * The chunk's results once committed, or null when nothing of it was stored. The commands run in units of work
     * nested in one for the chunk: Axon then appends the events of all of them in one JDBC batch when the chunk's unit
     * of work commits (instead of one INSERT round trip per command), and a second command on the same aggregate
     * finds it in memory. A write race with another node then fails the append of the whole chunk, which is sent
     * again one by one like any other failure.
     */
    private List<Result> sendTogether(List<?> chunk) {
        List<Result> results = new ArrayList<>(chunk.size());
        UnitOfWork<?> chunkWork = null;
        try {
            transactions.begin();
            chunkWork = DefaultUnitOfWork.startAndGet(null);
            for (Object command : chunk) {
                results.add(new Result(commandGateway.sendAndWait(command), null));
            }
            chunkWork.commit();
            transactions.commit();
            return results;
        } catch (Exception refusedOrNotCommitted) {
            if (chunkWork != null && chunkWork.isActive() && chunkWork.phase().isBefore(UnitOfWork.Phase.ROLLBACK)) {
                chunkWork.rollback(refusedOrNotCommitted);
            }
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
