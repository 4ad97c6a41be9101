package io.iotgrid.bench;

import io.iotgrid.member.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of the benchmark against a throwaway PostgreSQL, so it keeps working; its figures are not checked. */
@Timeout(240)
class HistoryStoreBenchmarkIT {

    @Test
    void when_smallRun_then_everyRowWrittenBothWaysAndMeasured() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.createDatabase("bench");
            for (boolean copyFirst : new boolean[] {true, false}) {
                HistoryStoreBenchmark.Result result = HistoryStoreBenchmark.run(url, PostgresServer.USER,
                        PostgresServer.PASSWORD, 20, 2, copyFirst);
                assertThat(result.rows()).isEqualTo(20 * 2 * 60);
                assertThat(result.copyRate()).isPositive();
                assertThat(result.storeRate()).isPositive();
                assertThat(result.toString()).contains("rows=2400 copy=");
            }
        }
    }
}
