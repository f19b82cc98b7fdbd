package com.kpiledger.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is refused with 413 as problem+json, like every
 * other refusal. Vert.x would refuse it too, but with an empty text answer, because it checks Content-Length before any
 * JAX-RS code runs; this route runs just before that check. (A chunked body without Content-Length that grows past
 * the limit still gets Vert.x's plain 413.)
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) throws JsonProcessingException {
        long limit = maxBodySize.asLongValue();
        String body = JSON.writeValueAsString(new Problem("urn:kpi-ledger:problem:payload-too-large",
                "Payload Too Large", 413, "The body is larger than the limit of " + limit + " bytes", null));
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String declared = context.request().getHeader("Content-Length");
            if (declared != null && tooLarge(declared, limit)) {
                context.response().setStatusCode(413)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        // the body is not read, so the connection cannot carry another request
                        .putHeader("Connection", "close")
                        .end(body);
            } else {
                context.next();
            }
        });
    }

    private static boolean tooLarge(String declared, long limit) {
        try {
            return Long.parseLong(declared.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
