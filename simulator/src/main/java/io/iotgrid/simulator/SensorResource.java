package io.iotgrid.simulator;

import io.iotgrid.core.SensorReading;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * One simulated sensor: an observable resource whose GET answers its latest reading. {@link #step} and
 * {@link #publish} are called by one thread at a time; GET and notifications read the payload from any thread.
 */
final class SensorResource extends CoapResource {

    private final SensorWalk walk;
    private volatile byte[] payload;

    SensorResource(SensorWalk walk) {
        super(walk.sensorId());
        this.walk = walk;
        setObservable(true);
        setObserveType(CoAP.Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("sensor " + walk.sensorId());
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    String sensorId() {
        return walk.sensorId();
    }

    String placeId() {
        return walk.placeId();
    }

    /** The sensor's values and faults. */
    SensorWalk walk() {
        return walk;
    }

    /** Makes {@code reading} what GET answers and notifies the observers; malformed when {@code bad}. */
    void publish(SensorReading reading, boolean bad) {
        long seq = walk.nextSeq();
        payload = bad ? SensorWalk.badJson(reading, seq) : SensorWalk.json(reading, seq);
        changed();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        exchange.respond(CoAP.ResponseCode.CONTENT, payload, MediaTypeRegistry.APPLICATION_JSON);
    }
}
