package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

import java.util.SplittableRandom;

/**
 * One simulated sensor: an observable resource whose GET answers its latest reading. {@link #step} and
 * {@link #publish} are called by one thread at a time; GET and notifications read the payload from any thread.
 */
final class SensorResource extends CoapResource {

    private final SensorWalk walk;
    private volatile byte[] payload;

    SensorResource(String sensorId, String placeId, SplittableRandom random) {
        super(sensorId);
        this.walk = new SensorWalk(sensorId, placeId, random);
        setObservable(true);
        setObserveType(CoAP.Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("sensor " + sensorId);
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    String sensorId() {
        return walk.sensorId();
    }

    String placeId() {
        return walk.placeId();
    }

    /** Moves every measure one step and returns the reading, stamped {@code timestamp}. */
    SensorReading step(long timestamp) {
        return walk.step(timestamp);
    }

    /** Makes {@code reading} what GET answers and notifies the observers. */
    void publish(SensorReading reading) {
        payload = SensorWalk.json(reading, walk.nextSeq());
        changed();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        exchange.respond(CoAP.ResponseCode.CONTENT, payload, MediaTypeRegistry.APPLICATION_JSON);
    }
}
