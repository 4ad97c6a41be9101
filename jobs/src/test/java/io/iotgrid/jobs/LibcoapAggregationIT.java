package io.iotgrid.jobs;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.LibcoapServer;
import org.eclipse.californium.core.CoapResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interop: the job observes a resource on libcoap's {@code coap-server-openssl}, an independent CoAP
 * implementation, and what is PUT there ends up in the grid.
 */
@Timeout(180)
class LibcoapAggregationIT {

    private static final int PORT = 5950;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PATH = "/sensors/lib-1";

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_libcoapResourceIsUpdated_then_readingsAggregatesAndDeadLettersReachTheGrid() throws Exception {
        // -d 10: a PUT creates an observable resource, and every later PUT notifies its observers.
        LibcoapServer libcoap = LibcoapServer.start(LibcoapServer.freeUdpPort(), "-d", "10");
        resources.add(libcoap);
        long t0 = System.currentTimeMillis();
        assertThat(put(libcoap, reading(t0, 20.0)).isSuccess()).as("resource created").isTrue();

        String cluster = "libcoap-it-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, PORT));
        resources.onClose(member::shutdown);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(cluster, PORT));
        resources.onClose(client::shutdown);
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, Duration.ofMinutes(1))
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(200))
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null).build();
        Job job = member.getJet().newJob(AggregationJob.build(
                AggregationJob.coapSource(CoapObserveSettings.of(libcoap.uri(PATH)), settings), settings));
        resources.onClose(job::cancel);

        Ringbuffer<SensorReading> readings = client.getRingbuffer(GridNames.READINGS);
        // The observe registration answers with the current value: the reading PUT before the job started.
        await().atMost(TIMEOUT).until(() -> readings.size() == 1);
        // One PUT at a time: observe is latest-state, so a server may skip values sent faster than notified.
        double[] temperatures = {21.5, 19.0, 23.25};
        for (int i = 0; i < temperatures.length; i++) {
            assertThat(put(libcoap, reading(t0 + i + 1, temperatures[i])).isSuccess()).isTrue();
            long expected = i + 2;
            await().atMost(TIMEOUT).until(() -> readings.size() == expected);
        }
        assertThat(put(libcoap, "{\"id\":\"lib-1\",\"timestamp\":\"now\"}").isSuccess()).isTrue();

        List<SensorReading> received = new ArrayList<>();
        for (long seq = readings.headSequence(); seq <= readings.tailSequence(); seq++) {
            received.add(readings.readOne(seq));
        }
        assertThat(received).extracting(SensorReading::temperature).containsExactly(20.0, 21.5, 19.0, 23.25);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.sensorId()).isEqualTo("lib-1");
            assertThat(r.placeId()).isEqualTo("lab");
        });

        IMap<String, WindowStats> sensorStats = client.getMap(GridNames.SENSOR_STATS);
        long windowStart = t0 - t0 % 60_000;
        boolean allInOneWindow = t0 + temperatures.length < windowStart + 60_000;
        await().atMost(TIMEOUT).untilAsserted(() -> {
            WindowStats lib = sensorStats.get("lib-1");
            assertThat(lib).isNotNull();
            if (allInOneWindow) {
                assertThat(lib.count()).isEqualTo(4);
                assertThat(lib.temperatureMin()).isEqualTo(19.0);
                assertThat(lib.temperatureMax()).isEqualTo(23.25);
                assertThat(lib.temperatureAvg()).isEqualTo((20.0 + 21.5 + 19.0 + 23.25) / 4);
            }
        });

        IMap<String, DeadLetter> deadLetters = client.getMap(GridNames.DEAD_LETTERS);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(deadLetters.values()).singleElement().satisfies(dl -> {
            assertThat(dl.source()).isEqualTo(libcoap.uri(PATH));
            assertThat(dl.reason()).isEqualTo("field 'timestamp' must be an integer of epoch milliseconds but was "
                    + "a string");
            assertThat(new String(dl.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"lib-1\",\"timestamp\":\"now\"}");
        }));
    }

    private static CoapResponse put(LibcoapServer server, String json) throws Exception {
        CoapResponse response = server.put(PATH, json);
        assertThat(response).as("libcoap answered the PUT").isNotNull();
        return response;
    }

    private static String reading(long timestamp, double temperature) {
        return "{\"id\":\"lib-1\",\"place_id\":\"lab\",\"timestamp\":" + timestamp
                + ",\"payload\":{\"temperature\":" + temperature + "}}";
    }
}
