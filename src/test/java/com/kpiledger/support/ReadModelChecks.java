package com.kpiledger.support;

import io.quarkus.narayana.jta.QuarkusTransaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks shared by the tests of the read models' summary tables and their migrations. */
public final class ReadModelChecks {

    private ReadModelChecks() {
    }

    /** The statement of a Flyway migration that starts with {@code start}, as the migration holds it. */
    public static String migrationStatement(String file, String start) {
        try (InputStream in = ReadModelChecks.class.getResourceAsStream("/db/migration/" + file)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int from = sql.indexOf(start);
            assertThat(from).as(start).isNotNegative();
            return sql.substring(from, sql.indexOf(';', from));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a table holds, and what it should hold, read in one transaction. */
    public record Comparison(Set<String> actual, Set<String> expected) {
    }

    /**
     * Asserts that a table holds what it should, reading both in one transaction. They are read in two statements,
     * so a projection still applying another test's events may commit in between: read again a few times before
     * failing.
     */
    public static void assertHoldsWhatItShould(Callable<Comparison> read) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Comparison comparison = QuarkusTransaction.requiringNew().call(read);
            if (comparison.actual().equals(comparison.expected()) || attempt == 5) {
                assertThat(comparison.actual()).isEqualTo(comparison.expected());
                return;
            }
            Thread.sleep(500);
        }
    }
}
