package com.kpiledger.web;

import com.kpiledger.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class KpiAnswerCachePostgresTest extends KpiAnswerCacheTest {
}
