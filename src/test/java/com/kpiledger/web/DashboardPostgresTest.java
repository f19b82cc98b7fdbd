package com.kpiledger.web;

import com.kpiledger.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.nio.file.Path;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class DashboardPostgresTest extends DashboardTest {

    @Override
    protected Path screenshot() {
        return Path.of("target", "dashboard-postgres.png");
    }
}
