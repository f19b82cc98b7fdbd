package com.kpiledger.config;

import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * Axon's transactions on Narayana, so that event appends, token updates and Panache read-model writes of one unit of
 * work commit together. Joins a transaction that is already open (commit is then the owner's job, rollback only marks
 * it), otherwise begins its own. Not QuarkusTransaction: that needs a request context, which Axon's threads lack.
 */
public class JtaTransactionManager implements TransactionManager {

    private final jakarta.transaction.TransactionManager jta;

    public JtaTransactionManager(jakarta.transaction.TransactionManager jta) {
        this.jta = jta;
    }

    @Override
    public Transaction startTransaction() {
        try {
            if (jta.getStatus() != Status.STATUS_NO_TRANSACTION) {
                return new ParticipatingTransaction();
            }
            jta.begin();
            return new LeadingTransaction();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start a JTA transaction", e);
        }
    }

    private final class LeadingTransaction implements Transaction {

        @Override
        public void commit() {
            try {
                if (jta.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                    jta.rollback();
                    throw new IllegalStateException("Transaction was marked rollback-only and has been rolled back");
                }
                jta.commit();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Could not commit the JTA transaction", e);
            }
        }

        @Override
        public void rollback() {
            try {
                int status = jta.getStatus();
                if (status != Status.STATUS_NO_TRANSACTION) {
                    jta.rollback();
                }
            } catch (SystemException e) {
                throw new IllegalStateException("Could not roll back the JTA transaction", e);
            }
        }
    }

    private final class ParticipatingTransaction implements Transaction {

        @Override
        public void commit() {
            // the transaction's owner commits
        }

        @Override
        public void rollback() {
            try {
                jta.setRollbackOnly();
            } catch (SystemException e) {
                throw new IllegalStateException("Could not mark the JTA transaction rollback-only", e);
            }
        }
    }
}
