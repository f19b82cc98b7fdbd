package com.kpiledger.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.kpiledger.coreapi.audit.FetchKpiSnapshotsQuery;
import com.kpiledger.coreapi.audit.FindKpiSnapshotQuery;
import com.kpiledger.coreapi.audit.KpiQuestion;
import com.kpiledger.coreapi.audit.KpiSnapshotVerificationView;
import com.kpiledger.coreapi.audit.KpiSnapshotView;
import com.kpiledger.coreapi.audit.PublishKpiSnapshotCommand;
import com.kpiledger.coreapi.audit.VerifyKpiSnapshotQuery;
import com.kpiledger.coreapi.shared.ConflictingCommandException;
import com.kpiledger.query.kpi.KpiCalculator;
import com.kpiledger.query.kpi.KpiQueryHandler;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.queryhandling.QueryHandler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Published KPI figures. Publishing answers the question from the read models, recomputes it from the raw events
 * (refusing a figure the events do not reproduce), and stores the answer with its position, definition version and
 * digest. Re-verifying later folds the same events again: later events, corrections and rebuilds cannot change it.
 */
@Singleton
public class KpiSnapshots {

    @Inject
    KpiQueryHandler readModels;

    @Inject
    KpiVerifier verifier;

    @Inject
    ObjectMapper json;

    @CommandHandler
    public KpiSnapshotView handle(PublishKpiSnapshotCommand command) {
        KpiQuestion question = command.question();
        // microseconds: what the database keeps, so the published moment reads back as it was answered
        Instant publishedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        record Live(long position, Object answer) {
        }
        Live live = QuarkusTransaction.requiringNew().call(() -> {
            long position = readModels.position(question.scope().knownAt());
            return new Live(position, readModels.answer(question, position));
        });
        KpiVerifier.Recomputed recomputed = verifier.recompute(question, live.position(), publishedAt);
        String answer = write(live.answer());
        if (!answer.equals(write(recomputed.answer()))) {
            throw new ConflictingCommandException(null,
                    "The read models' answer differs from the raw events' at position " + live.position()
                            + "; verify it with POST /api/audit/verifications before publishing");
        }
        PublishedSnapshot snapshot = new PublishedSnapshot();
        snapshot.snapshotId = command.snapshotId();
        snapshot.kpi = question.kpi();
        snapshot.question = write(question);
        snapshot.answer = answer;
        snapshot.position = live.position();
        snapshot.definitionVersion = KpiCalculator.DEFINITION_VERSION;
        snapshot.digest = recomputed.digest();
        snapshot.eventsRead = recomputed.eventsRead();
        snapshot.publishedAt = publishedAt;
        snapshot.note = command.note();
        snapshot.persist();
        return view(snapshot);
    }

    @QueryHandler
    public Optional<KpiSnapshotView> handle(FindKpiSnapshotQuery query) {
        return QuarkusTransaction.requiringNew().call(() ->
                PublishedSnapshot.<PublishedSnapshot>findByIdOptional(query.snapshotId()).map(this::view));
    }

    @QueryHandler
    public List<KpiSnapshotView> handle(FetchKpiSnapshotsQuery query) {
        return QuarkusTransaction.requiringNew().call(() ->
                PublishedSnapshot.<PublishedSnapshot>find("order by publishedAt desc").page(0, query.limit())
                        .list().stream().map(this::view).toList());
    }

    @QueryHandler
    public Optional<KpiSnapshotVerificationView> handle(VerifyKpiSnapshotQuery query) {
        Optional<PublishedSnapshot> found = QuarkusTransaction.requiringNew().call(() ->
                PublishedSnapshot.<PublishedSnapshot>findByIdOptional(query.snapshotId()));
        return found.map(snapshot -> {
            KpiQuestion question = read(snapshot.question, KpiQuestion.class);
            KpiVerifier.Recomputed recomputed = verifier.recompute(question, snapshot.position, snapshot.publishedAt);
            // compared as written: the same serializer turns equal decimals into equal text, scale included
            String again = write(recomputed.answer());
            return new KpiSnapshotVerificationView(snapshot.snapshotId, read(snapshot.answer, JsonNode.class),
                    read(again, JsonNode.class), snapshot.answer.equals(again),
                    recomputed.eventsRead(), snapshot.position, recomputed.digest(),
                    snapshot.digest.equals(recomputed.digest()), snapshot.definitionVersion,
                    KpiCalculator.DEFINITION_VERSION);
        });
    }

    private KpiSnapshotView view(PublishedSnapshot snapshot) {
        return new KpiSnapshotView(snapshot.snapshotId, read(snapshot.question, KpiQuestion.class),
                read(snapshot.answer, JsonNode.class), snapshot.position, snapshot.definitionVersion, snapshot.digest,
                snapshot.eventsRead, snapshot.publishedAt, snapshot.note);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a snapshot", e);
        }
    }

    /** Stored answers are read back with their decimals exact and their scale kept (5500.00, never 5500.0). */
    private <T> T read(String value, Class<T> type) {
        try {
            return json.copy()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not read a stored snapshot", e);
        }
    }
}
