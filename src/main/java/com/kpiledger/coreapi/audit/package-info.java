/** Audit questions and answers: verifications, published snapshots, restatements. */
package com.kpiledger.coreapi.audit;
