package io.iotgrid.bench;

import org.eclipse.californium.core.coap.CoAP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny run of the CoAP ceiling benchmark through the same path as a full one (a Californium server JVM, a member
 * running the CoAP job, its readings Ringbuffer read back), so it keeps working; its figures are not checked against
 * any speed.
 */
@Timeout(240)
class CoapCeilingBenchmarkIT {

    @Test
    void when_tinyRun_then_bothTypesDeliverTimedReadings(@TempDir Path dir) throws IOException, InterruptedException {
        CoapCeilingBenchmark.Options options = new CoapCeilingBenchmark.Options();
        options.resources = 20;
        options.rates = new double[]{100};
        options.warmup = Duration.ofSeconds(1);
        options.duration = Duration.ofSeconds(2);
        options.dir = dir;

        List<CoapCeilingBenchmark.Step> steps = CoapCeilingBenchmark.run(options);

        assertThat(steps).extracting(CoapCeilingBenchmark.Step::type).containsExactly(CoAP.Type.NON, CoAP.Type.CON);
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.offered()).isPositive();
            assertThat(s.received()).isPositive();
            assertThat(s.latencyMillis().getTotalCount()).isEqualTo(s.received());
            assertThat(s.loss()).isBetween(0.0, 1.0);
        });
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }
}
