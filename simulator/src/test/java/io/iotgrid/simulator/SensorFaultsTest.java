package io.iotgrid.simulator;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The faults a simulation can have: hot sensors, quiet sensors and malformed payloads. */
class SensorFaultsTest {

    private static final ReadingParser PARSER = new ReadingParser(ReadingFormat.nested());
    private static final long START = 1_700_000_000_000L;

    @Test
    void when_noFaults_then_everySensorWellBehaved() {
        SimulationSettings settings = SimulationSettings.defaults();
        assertThat(settings.hasFaults()).isFalse();
        for (SensorWalk sensor : SensorWalk.of(settings, START)) {
            assertThat(sensor.quiet(START + Duration.ofDays(1).toMillis())).isFalse();
            assertThat(IntStream.range(0, 1000).filter(i -> sensor.nextIsBad()).count()).isZero();
        }
    }

    @Test
    void when_hotSensors_then_firstSensorsStayAboveTheDemoThreshold() {
        List<SensorWalk> sensors = SensorWalk.of(SimulationSettings.builder()
                .set(SimulationSettings.SENSORS, 4).set(SimulationSettings.HOT_SENSORS, 1).build(), START);

        for (int step = 0; step < 2000; step++) {
            assertThat(sensors.get(0).step(START + step).temperature()).isBetween(SensorWalk.HOT_MIN, SensorWalk.HOT_MAX);
            for (SensorWalk other : sensors.subList(1, 4)) {
                assertThat(other.step(START + step).temperature()).isBetween(15.0, 30.0);
            }
        }
    }

    @Test
    void when_quietSensors_then_lastSensorsStopAfterQuietAfter() {
        List<SensorWalk> sensors = SensorWalk.of(SimulationSettings.builder()
                .set(SimulationSettings.SENSORS, 3).set(SimulationSettings.QUIET_SENSORS, 1)
                .set(SimulationSettings.QUIET_AFTER, Duration.ofSeconds(20)).build(), START);

        assertThat(sensors.stream().map(s -> s.quiet(START + 19_999)).toList()).containsExactly(false, false, false);
        assertThat(sensors.stream().map(s -> s.quiet(START + 20_000)).toList()).containsExactly(false, false, true);
    }

    @Test
    void when_badPayloadShare_then_thatShareOfReadingsIsBad() {
        SensorWalk sensor = SensorWalk.of(SimulationSettings.builder()
                .set(SimulationSettings.BAD_PAYLOAD_SHARE, 0.1).build(), START).get(0);

        long bad = IntStream.range(0, 10_000).filter(i -> sensor.nextIsBad()).count();

        assertThat(bad).isBetween(800L, 1200L);
    }

    @Test
    void when_badJson_then_parserMakesDeadLettersWithTwoReasons() {
        SensorReading reading = new SensorReading("s-1", "p-1", START, 21.5, 40, 1013, 300);

        assertThat(reason(SensorWalk.badJson(reading, 1))).contains("temperature");
        assertThat(reason(SensorWalk.badJson(reading, 2))).startsWith("malformed JSON");
        assertThat(PARSER.parse(new RawReading("test", START, SensorWalk.json(reading, 3)))).isEqualTo(reading);
    }

    @Test
    void when_moreHotOrQuietSensorsThanSensors_then_messageNamesBothKeys() {
        assertThatThrownBy(() -> SimulationSettings.builder().set(SimulationSettings.SENSORS, 2)
                .set(SimulationSettings.QUIET_SENSORS, 3).build())
                .hasMessage("quiet.sensors must be at most sensors (2), was 3");
        assertThatThrownBy(() -> SimulationSettings.builder().set(SimulationSettings.BAD_PAYLOAD_SHARE, 1.5).build())
                .hasMessageContaining("bad.payload.share must be between 0 and 1");
    }

    private static String reason(byte[] payload) {
        Decoded decoded = PARSER.parse(new RawReading("test", START, payload));
        assertThat(decoded).isInstanceOf(DeadLetter.class);
        return ((DeadLetter) decoded).reason();
    }
}
