package com.kpiledger.support;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * KPI reads for tests: JSON numbers as exact BigDecimals, and read-your-writes with {@code minPosition} retried while
 * the service answers 503 (the test profile lets a query wait only briefly for the read models).
 */
public final class KpiHttp {

    private static final RestAssuredConfig EXACT_NUMBERS = RestAssured.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    private KpiHttp() {
    }

    /**
     * GET {@code path} with the query parameters, waiting until the read models reached {@code minPosition}; the body of
     * the first 200 answer.
     */
    public static Response get(String path, Map<String, ?> parameters, long minPosition) {
        AtomicReference<Response> answer = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).pollDelay(Duration.ZERO)
                .until(() -> {
                    Response response = given().config(EXACT_NUMBERS).queryParams(parameters)
                            .queryParam("minPosition", minPosition).get(path);
                    if (response.statusCode() == 503) {
                        return false;
                    }
                    answer.set(response);
                    return true;
                });
        Response response = answer.get();
        response.then().statusCode(200);
        return response;
    }

    public static JsonPath json(String path, Map<String, ?> parameters, long minPosition) {
        return exact(get(path, parameters, minPosition).asString());
    }

    public static JsonPath exact(String body) {
        return new JsonPath(body)
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /** A JSON number (or null) as a BigDecimal, whatever type JsonPath chose for it. */
    public static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
    }
}
