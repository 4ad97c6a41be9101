package io.iotgrid.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * One simulated sensor: an observable resource whose GET answers its latest reading. {@link #step} and
 * {@link #publish} are called by one thread at a time; GET and notifications read the payload from any thread.
 */
final class SensorResource extends CoapResource {

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
    private volatile byte[] payload;

    SensorResource(String sensorId, String placeId, SplittableRandom random) {
        super(sensorId);
        this.sensorId = sensorId;
        this.placeId = placeId;
        this.random = random;
        for (int i = 0; i < values.length; i++) {
            double min = WALKS[i][0];
            double max = WALKS[i][1];
            // Start in the middle half so the first steps rarely touch a bound.
            values[i] = min + (max - min) * (0.25 + 0.5 * random.nextDouble());
        }
        setObservable(true);
        setObserveType(CoAP.Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("sensor " + sensorId);
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
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

    /** Makes {@code reading} what GET answers and notifies the observers. */
    void publish(SensorReading reading) {
        payload = json(reading, ++seq);
        changed();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        exchange.respond(CoAP.ResponseCode.CONTENT, payload, MediaTypeRegistry.APPLICATION_JSON);
    }

    /** Two decimals, so the value written to JSON parses back to exactly the published one. */
    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private byte[] json(SensorReading reading, long sequence) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", sensorId);
            g.writeStringField("name", "sensor " + sensorId);
            g.writeStringField("place_id", placeId);
            g.writeNumberField("timestamp", reading.timestamp());
            g.writeNumberField("seq", sequence);
            g.writeObjectFieldStart("payload");
            for (Measure m : Measure.values()) {
                g.writeNumberField(m.key(), reading.value(m));
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the payload of " + sensorId, e);
        }
        return out.toByteArray();
    }
}
