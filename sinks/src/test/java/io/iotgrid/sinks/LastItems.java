package io.iotgrid.sinks;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.exception.ConnectorException;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads back what a CoAP sink PUT to a server that keeps the last value per resource (libcoap's {@code -d}). */
final class LastItems {

    private static final long GET_TIMEOUT_MILLIS = Duration.ofSeconds(5).toMillis();

    private LastItems() {
    }

    /**
     * GETs {@code uriPrefix + sensorId} through {@code endpoint} for every sensor of {@code input} and asserts that
     * it holds the sensor's last reading: requests to one URI go one at a time in order, so the last PUT wins.
     */
    static void assertEachResourceHoldsItsLastItem(CoapEndpoint endpoint, String uriPrefix, List<Reading> input)
            throws ConnectorException, IOException {
        Map<String, Reading> last = new LinkedHashMap<>();
        input.forEach(r -> last.put(r.sensorId(), r));
        for (Map.Entry<String, Reading> expected : last.entrySet()) {
            String uri = uriPrefix + expected.getKey();
            CoapResponse response = get(endpoint, uri);
            assertThat(response).as("answer to GET %s", uri).isNotNull();
            assertThat(response.getCode()).as("answer to GET %s", uri).isEqualTo(CoAP.ResponseCode.CONTENT);
            assertThat(Reading.parse(response.getResponseText())).as("what %s holds", uri)
                                                                 .isEqualTo(expected.getValue());
        }
    }

    private static CoapResponse get(CoapEndpoint endpoint, String uri) throws ConnectorException, IOException {
        CoapClient client = new CoapClient(uri).setEndpoint(endpoint).setTimeout(GET_TIMEOUT_MILLIS);
        try {
            return client.get();
        } finally {
            client.shutdown();
        }
    }
}
