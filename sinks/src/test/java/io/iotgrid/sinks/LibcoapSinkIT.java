package io.iotgrid.sinks;

import com.hazelcast.jet.Job;
import io.iotgrid.coap.CoapEndpoints;
import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.LibcoapServer;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static io.iotgrid.sinks.CoapSinkSettings.BIND_ADDRESS;

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
                CoapSinkSettings.builder().set(BIND_ADDRESS, "127.0.0.1").build()));
        job.join();

        CoapEndpoint endpoint = CoapEndpoints.client("coap", CoapSecurity.none(), CoapEndpoints.configuration(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        resources.onClose(endpoint::destroy);
        endpoint.start();
        LastItems.assertEachResourceHoldsItsLastItem(endpoint, sensors, input);
    }
}
