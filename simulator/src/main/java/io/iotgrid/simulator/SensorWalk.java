package io.iotgrid.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated sensor's values: a bounded random walk per measure, and its readings as the JSON the simulators
 * send; with the faults of its {@link SimulationSettings}: hot (temperature in {@value #HOT_MIN} to
 * {@value #HOT_MAX} °C), quiet after a while, or now and then a malformed payload. Used by one thread at a time.
 */
final class SensorWalk {

    private static final JsonFactory JSON = new JsonFactory();

    /** Bounds and step of each measure's random walk, indexed by {@link Measure#ordinal()}. */
    private static final double[][] WALKS = {
            {15, 30, 0.15},    // temperature, °C
            {30, 70, 0.5},     // humidity, %
            {990, 1030, 0.3},  // pressure, hPa
            {0, 1000, 15},     // luminosity, lux
    };

    /** Temperature bounds of a hot sensor: always above the demo's default alert rule, temperature>25. */
    static final double HOT_MIN = 26;
    static final double HOT_MAX = 32;

    private final String sensorId;
    private final String placeId;
    private final SplittableRandom random;
    private final double[][] walks;
    private final double badPayloadShare;
    private final long quietAt;
    private final double[] values = new double[Measure.count()];
    private long seq;

    private SensorWalk(String sensorId, String placeId, SplittableRandom random, boolean hot, double badPayloadShare,
                       long quietAt) {
        this.sensorId = sensorId;
        this.placeId = placeId;
        this.random = random;
        this.badPayloadShare = badPayloadShare;
        this.quietAt = quietAt;
        walks = Arrays.stream(WALKS).map(double[]::clone).toArray(double[][]::new);
        if (hot) {
            walks[Measure.TEMPERATURE.ordinal()][0] = HOT_MIN;
            walks[Measure.TEMPERATURE.ordinal()][1] = HOT_MAX;
        }
        for (int i = 0; i < values.length; i++) {
            double min = walks[i][0];
            double max = walks[i][1];
            // Start in the middle half so the first steps rarely touch a bound.
            values[i] = min + (max - min) * (0.25 + 0.5 * random.nextDouble());
        }
    }

    /**
     * The sensors of {@code settings}, {@code s-1} to {@code s-<sensors>} spread round-robin over the places, each with
     * its own random walk from the seed; the quiet ones stop {@link SimulationSettings#quietAfter()} after
     * {@code startMillis}.
     */
    static List<SensorWalk> of(SimulationSettings settings, long startMillis) {
        SplittableRandom seeds = new SplittableRandom(settings.seed());
        List<SensorWalk> sensors = new ArrayList<>(settings.sensors());
        long quietAt = startMillis + settings.quietAfter().toMillis();
        for (int i = 1; i <= settings.sensors(); i++) {
            sensors.add(new SensorWalk("s-" + i, "p-" + ((i - 1) % settings.places() + 1), seeds.split(),
                    i <= settings.hotSensors(), settings.badPayloadShare(),
                    i > settings.sensors() - settings.quietSensors() ? quietAt : Long.MAX_VALUE));
        }
        return sensors;
    }

    String sensorId() {
        return sensorId;
    }

    String placeId() {
        return placeId;
    }

    /** Whether the sensor has gone quiet at {@code now}: then it sends nothing more. */
    boolean quiet(long now) {
        return now >= quietAt;
    }

    /** Whether the next reading goes out as a malformed payload; draws from the walk's random only if any may. */
    boolean nextIsBad() {
        return badPayloadShare > 0 && random.nextDouble() < badPayloadShare;
    }

    /** Moves every measure one step and returns the reading, stamped {@code timestamp}. */
    SensorReading step(long timestamp) {
        for (int i = 0; i < values.length; i++) {
            double min = walks[i][0];
            double max = walks[i][1];
            double v = values[i] + random.nextGaussian() * walks[i][2];
            // Reflect at the bounds instead of clamping, so the walk does not stick to them.
            v = v < min ? 2 * min - v : v > max ? 2 * max - v : v;
            values[i] = Math.min(max, Math.max(min, v));
        }
        return new SensorReading(sensorId, placeId, timestamp,
                round(values[Measure.TEMPERATURE.ordinal()]), round(values[Measure.HUMIDITY.ordinal()]),
                round(values[Measure.PRESSURE.ordinal()]), round(values[Measure.LUMINOSITY.ordinal()]));
    }

    /** The sequence number of the next reading sent: 1, 2, ... */
    long nextSeq() {
        return ++seq;
    }

    /** Two decimals, so the value written to JSON parses back to exactly the published one. */
    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** {@code reading} in the nested format, with its sequence number and a display name. */
    static byte[] json(SensorReading reading, long sequence) {
        return json(reading, sequence, false);
    }

    /**
     * {@code reading} as a sensor with a firmware fault would send it, which no parser accepts: odd sequence numbers
     * with the temperature as the text {@code "n/a"}, even ones cut off in the middle, so the dead letters show two
     * reasons.
     */
    static byte[] badJson(SensorReading reading, long sequence) {
        if (sequence % 2 == 1) {
            return json(reading, sequence, true);
        }
        byte[] whole = json(reading, sequence, false);
        return Arrays.copyOf(whole, whole.length / 2);
    }

    private static byte[] json(SensorReading reading, long sequence, boolean temperatureAsText) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", reading.sensorId());
            g.writeStringField("name", "sensor " + reading.sensorId());
            g.writeStringField("place_id", reading.placeId());
            g.writeNumberField("timestamp", reading.timestamp());
            g.writeNumberField("seq", sequence);
            g.writeObjectFieldStart("payload");
            for (Measure m : Measure.values()) {
                if (temperatureAsText && m == Measure.TEMPERATURE) {
                    g.writeStringField(m.key(), "n/a");
                } else if (!reading.has(m)) {
                    // An absent measure is NaN, which Jackson would write as the string "NaN": parsers refuse that.
                    g.writeNullField(m.key());
                } else {
                    g.writeNumberField(m.key(), reading.value(m));
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the payload of " + reading.sensorId(), e);
        }
        return out.toByteArray();
    }
}
