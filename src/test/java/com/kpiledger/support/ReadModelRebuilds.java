package com.kpiledger.support;

import com.kpiledger.config.ProjectionProcessors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.EventTrackerStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Rebuilding the KPI read models as an operator does, and waiting until they have caught up with the store. */
@ApplicationScoped
public class ReadModelRebuilds {

    @Inject
    ProjectionProcessors processors;

    @Inject
    StoreHead store;

    /**
     * POST /api/admin/projections/{name}/rebuild for every read model (202 each), then waits as
     * {@link #awaitCaughtUp()} does.
     */
    public void rebuildEveryReadModelThroughTheAdminApi() {
        for (String readModel : ProjectionProcessors.READ_MODELS) {
            given().post("/api/admin/projections/" + readModel + "/rebuild").then().statusCode(202);
        }
        awaitCaughtUp();
    }

    /**
     * Until GET /api/admin/projections shows every read model RUNNING with lag 0 at the head of the store, and every
     * processor has claimed the whole segment space (a segment not yet claimed after a (re)start is missing from the
     * processing status, so the lowest position alone could pass early). Fails fast when a processor fails.
     */
    public void awaitCaughtUp() {
        long head = store.headPosition();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .failFast("a read model's processor failed", () -> ProjectionProcessors.READ_MODELS.stream()
                        .anyMatch(name -> processors.processor(name).processingStatus().values().stream()
                                .anyMatch(EventTrackerStatus::isErrorState)))
                .until(() -> {
                    List<Map<String, Object>> views = given().get("/api/admin/projections").then().statusCode(200)
                            .extract().jsonPath().getList("$");
                    return views.size() == ProjectionProcessors.READ_MODELS.size()
                            && views.stream().allMatch(view -> "RUNNING".equals(view.get("state"))
                            && ((Number) view.get("lag")).longValue() == 0
                            && ((Number) view.get("position")).longValue() >= head)
                            && ProjectionProcessors.READ_MODELS.stream().allMatch(this::everySegmentClaimed);
                });
    }

    public boolean everySegmentClaimed(String readModel) {
        Map<Integer, EventTrackerStatus> segments = processors.processor(readModel).processingStatus();
        double covered = segments.values().stream()
                .mapToDouble(status -> 1.0 / (status.getSegment().getMask() + 1)).sum();
        return Math.abs(covered - 1.0) < 1e-9;
    }
}
