package io.iotgrid.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * One simulated sensor's values: a bounded random walk per measure, and its readings as the JSON the simulators
 * send. Used by one thread at a time.
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

    private final String sensorId;
    private final String placeId;
    private final SplittableRandom random;
    private final double[] values = new double[Measure.count()];
    private long seq;

    SensorWalk(String sensorId, String placeId, SplittableRandom random) {
        this.sensorId = sensorId;
        this.placeId = placeId;
        this.random = random;
        for (int i = 0; i < values.length; i++) {
            double min = WALKS[i][0];
            double max = WALKS[i][1];
            // Start in the middle half so the first steps rarely touch a bound.
            values[i] = min + (max - min) * (0.25 + 0.5 * random.nextDouble());
        }
    }

    String sensorId() {
        return sensorId;
    }

    String placeId() {
        return placeId;
    }

    /** Moves every measure one step and returns the reading, stamped {@code timestamp}. */
    SensorReading step(long timestamp) {
        for (int i = 0; i < values.length; i++) {
            double min = WALKS[i][0];
            double max = WALKS[i][1];
            double v = values[i] + random.nextGaussian() * WALKS[i][2];
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
                g.writeNumberField(m.key(), reading.value(m));
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the payload of " + reading.sensorId(), e);
        }
        return out.toByteArray();
    }
}
