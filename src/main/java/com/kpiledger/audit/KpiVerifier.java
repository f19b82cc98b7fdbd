package com.kpiledger.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.audit.KpiVerificationView;
import com.kpiledger.coreapi.audit.VerifyKpiQuery;
import com.kpiledger.query.kpi.KpiAnswers;
import com.kpiledger.query.kpi.KpiCalculator;
import com.kpiledger.query.kpi.KpiQueryHandler;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Serializer;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Verifies a KPI answer: the read models' answer at their position, and the same question answered from a fold of
 * the raw events up to that position. The two share the arithmetic ({@link KpiAnswers}) but not the facts.
 */
@Singleton
public class KpiVerifier {

    private static final Logger LOG = Logger.getLogger(KpiVerifier.class);

    @Inject
    KpiQueryHandler readModels;

    @Inject
    EventStorageEngine storageEngine;

    @Inject
    Serializer serializer;

    @Inject
    ObjectMapper json;

    @QueryHandler
    public KpiVerificationView handle(VerifyKpiQuery query) throws JsonProcessingException {
        KpiQuestion question = query.question();
        record ReadModelAnswer(long position, Object answer) {
        }
        ReadModelAnswer live = QuarkusTransaction.requiringNew().call(() -> {
            long position = readModels.position(question.scope().knownAt());
            return new ReadModelAnswer(position, readModels.answer(question, position));
        });
        Recomputed recomputed = recompute(question, live.position(), null);
        boolean match = json.writeValueAsString(live.answer()).equals(json.writeValueAsString(recomputed.answer()));
        if (!match) {
            LOG.warnf("KPI verification mismatch at position %d for %s", live.position(), question.kpi());
        }
        return new KpiVerificationView(question, live.answer(), recomputed.answer(), match, recomputed.eventsRead(),
                live.position(), KpiCalculator.DEFINITION_VERSION, recomputed.digest());
    }

    record Recomputed(Object answer, long eventsRead, String digest) {
    }

    /** The question answered from raw events alone, up to {@code position} (and recorded by {@code recordedUntil}). */
    Recomputed recompute(KpiQuestion question, long position, Instant recordedUntil) {
        EventReplay.Result replay = new EventReplay(storageEngine, serializer)
                .replay(position, recordedUntil, question.scope().knownAt());
        Object answer = new KpiAnswers(replay.facts()).answer(question, position);
        return new Recomputed(answer, replay.eventsRead(), replay.digest());
    }
}
