package com.kpiledger.config;

import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * Axon's transactions on Narayana with "requires new" semantics: a transaction already open is suspended, a new one
 * begins, and the suspended one resumes after commit or rollback. Used by the dead-letter queues' retries, where Axon
 * nests the handling of each letter in the unit of work that claims and evicts letters: a letter that fails again must
 * roll back only its own handling, not mark the claim's transaction rollback-only (which {@link JtaTransactionManager}
 * does, as a participant, and which would then fail the whole retry).
 */
final class IsolatedJtaTransactionManager implements TransactionManager {

    private final jakarta.transaction.TransactionManager jta;

    IsolatedJtaTransactionManager(jakarta.transaction.TransactionManager jta) {
        this.jta = jta;
    }

    @Override
    public Transaction startTransaction() {
        try {
            jakarta.transaction.Transaction suspended =
                    jta.getStatus() == Status.STATUS_NO_TRANSACTION ? null : jta.suspend();
            jta.begin();
            return new NewTransaction(jta.getTransaction(), suspended);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start a new JTA transaction", e);
        }
    }

    private final class NewTransaction implements Transaction {

        private final jakarta.transaction.Transaction own;
        private final jakarta.transaction.Transaction suspended;
        private boolean done;

        NewTransaction(jakarta.transaction.Transaction own, jakarta.transaction.Transaction suspended) {
            this.own = own;
            this.suspended = suspended;
        }

        @Override
        public void commit() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (own.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                    jta.rollback();
                    throw new IllegalStateException("Transaction was marked rollback-only and has been rolled back");
                }
                jta.commit();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Could not commit the JTA transaction", e);
            } finally {
                resume();
            }
        }

        @Override
        public void rollback() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (jta.getStatus() != Status.STATUS_NO_TRANSACTION) {
                    jta.rollback();
                }
            } catch (SystemException e) {
                throw new IllegalStateException("Could not roll back the JTA transaction", e);
            } finally {
                resume();
            }
        }

        private void resume() {
            if (suspended != null) {
                try {
                    jta.resume(suspended);
                } catch (Exception e) {
                    throw new IllegalStateException("Could not resume the suspended JTA transaction", e);
                }
            }
        }
    }
}
