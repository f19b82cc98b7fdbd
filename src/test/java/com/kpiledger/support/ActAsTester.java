package com.kpiledger.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Tests of other concerns than roles act as the test-only local user with every role (see application.properties,
 * {@code %test}); the role tests ask for their own credentials, or none, request by request.
 */
public class ActAsTester implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.preemptive().basic("tester", "tester");
    }
}
