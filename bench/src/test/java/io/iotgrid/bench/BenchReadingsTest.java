package io.iotgrid.bench;

import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchReadingsTest {

    private final BenchReadings readings = new BenchReadings(8, 3, 4, 1_000_000L);

    @Test
    void when_parsed_then_jsonCarriesTheComputedValues() {
        SensorReading r = (SensorReading) new ReadingParser(ReadingFormat.nested())
                .parse(new RawReading("bench", 0, readings.json(1, 7)));

        int sensor = readings.sensorOf(1, 7);
        assertThat(sensor).isEqualTo(5);
        assertThat(r).isEqualTo(new SensorReading("s-5", "p-2", 1_000_007L, BenchReadings.temperature(5, 7),
                BenchReadings.humidity(5, 7), BenchReadings.pressure(5, 7), BenchReadings.luminosity(5, 7)));
    }

    @Test
    void when_partitionRead_then_itsSensorsTakeTurns() {
        assertThat(readings.sensorOf(3, 0)).isEqualTo(3);
        assertThat(readings.sensorOf(3, 1)).isEqualTo(7);
        assertThat(readings.sensorOf(3, 2)).isEqualTo(3);
        assertThat(readings.sensorOf(3, 2) % 4).isEqualTo(3);
    }

    @Test
    void when_sensorsNotMultipleOfPartitions_then_rejected() {
        assertThatThrownBy(() -> new BenchReadings(10, 3, 4, 0)).hasMessageContaining("sensors (10)");
    }
}
