package io.iotgrid.sinks;

import com.hazelcast.jet.Job;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.LibcoapServer;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CoapSinks#json} against libcoap's {@code coap-server-openssl -d 10}, an implementation independent of
 * Californium, where the first PUT to a path creates the resource and later ones replace its value.
 */
@Timeout(60)
class LibcoapSinkIT {

    private static final int PORT = 6410;
    private static final List<String> SENSORS = List.of("lib-1", "lib-2", "lib-3");

    private static TestCluster cluster;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        cluster = TestCluster.start("libcoap-sink-it", PORT, config -> { });
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void when_itemsPutToLibcoap_then_eachResourceHoldsItsLastItem() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPort(), "-d", "10"));
        List<Reading> input = Reading.sequence(30, SENSORS);
        String sensors = server.uri("/sensors/");

        // Under THROW the job completes only if libcoap answered every PUT with 2.xx (2.01, then 2.04).
        Job job = cluster.submit(input, CoapSinks.json(r -> sensors + r.sensorId(),
                CoapSinkSettings.defaults().withBindAddress("127.0.0.1")));
        job.join();

        CoapEndpoint endpoint = new CoapEndpoint.Builder()
                .setConfiguration(new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .build();
        resources.onClose(endpoint::destroy);
        for (String sensor : SENSORS) {
            CoapResponse response = get(endpoint, server.uri("/sensors/" + sensor));
            assertThat(response).as("answer to GET /sensors/%s", sensor).isNotNull();
            assertThat(response.getCode()).isEqualTo(CoAP.ResponseCode.CONTENT);
            // Requests to one URI go one at a time in order, so the last PUT is the one the resource keeps.
            assertThat(Reading.parse(response.getResponseText()))
                    .isEqualTo(input.stream().filter(r -> r.sensorId().equals(sensor)).reduce((a, b) -> b)
                                    .orElseThrow());
        }
    }

    private static CoapResponse get(CoapEndpoint endpoint, String uri) throws ConnectorException, IOException {
        CoapClient client = new CoapClient(uri).setEndpoint(endpoint).setTimeout(Duration.ofSeconds(5).toMillis());
        try {
            return client.get();
        } finally {
            client.shutdown();
        }
    }
}
