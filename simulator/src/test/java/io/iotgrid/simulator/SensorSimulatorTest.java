package io.iotgrid.simulator;

import io.iotgrid.core.Decoded;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.settings.SettingsReader;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class SensorSimulatorTest {

    private static final ReadingParser PARSER = new ReadingParser(ReadingFormat.nested());
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private static CoapEndpoint endpoint;

    @BeforeAll
    static void startClientEndpoint() throws IOException {
        endpoint = new CoapEndpoint.Builder()
                .setConfiguration(new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
                .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .build();
        endpoint.start();
    }

    @AfterAll
    static void destroyClientEndpoint() {
        endpoint.destroy();
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_get_then_latestReadingAnswersAsNestedJson() throws Exception {
        SimulationSettings settings = settings(3, 5).toBuilder().set(SimulationSettings.PLACES, 2).build();
        try (SensorSimulator sim = SensorSimulator.start(settings)) {
            assertThat(sim.sensorIds()).containsExactly("s-1", "s-2", "s-3");
            assertThat(sim.uris()).containsExactly(
                    "coap://127.0.0.1:" + sim.port() + "/sensors/s-1",
                    "coap://127.0.0.1:" + sim.port() + "/sensors/s-2",
                    "coap://127.0.0.1:" + sim.port() + "/sensors/s-3");
            assertThat(List.of(sim.placeOf("s-1"), sim.placeOf("s-2"), sim.placeOf("s-3")))
                    .containsExactly("p-1", "p-2", "p-1");

            for (int i = 0; i < 3; i++) {
                CoapResponse response = get(sim.uris().get(i));
                assertThat(response).as("GET %s answered", sim.uris().get(i)).isNotNull();
                assertThat(response.getCode()).isEqualTo(CoAP.ResponseCode.CONTENT);
                assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
                assertThat(response.getResponseText()).contains("\"name\":\"sensor s-" + (i + 1) + '"', "\"seq\":");

                SensorReading reading = parse(response.getPayload());
                assertThat(reading.sensorId()).isEqualTo(sim.sensorIds().get(i));
                assertThat(reading.placeId()).isEqualTo(sim.placeOf(reading.sensorId()));
                assertThat(reading.temperature()).isBetween(15.0, 30.0);
                assertThat(reading.humidity()).isBetween(30.0, 70.0);
                assertThat(reading.pressure()).isBetween(990.0, 1030.0);
                assertThat(reading.luminosity()).isBetween(0.0, 1000.0);
                assertThat(sim.published()).contains(reading);
            }
        }
    }

    @Test
    void when_observed_then_notificationsArriveInSequence() throws Exception {
        try (SensorSimulator sim = SensorSimulator.start(settings(1, 20))) {
            Notifications notifications = new Notifications(6);
            CoapObserveRelation relation = client(sim.uris().get(0)).observe(notifications);
            try {
                assertThat(notifications.latch.await(5, TimeUnit.SECONDS)).as("6 notifications arrived").isTrue();
            } finally {
                relation.proactiveCancel();
            }

            List<CoapResponse> received = List.copyOf(notifications.responses);
            long previousSeq = 0;
            for (CoapResponse response : received) {
                assertThat(response.getCode()).isEqualTo(CoAP.ResponseCode.CONTENT);
                assertThat(sim.published()).contains(parse(response.getPayload()));
                long seq = seq(response);
                // A step that lands while the registration is answered is sent twice, in the response and in a
                // notification (seen in CI): the state may repeat, never go back.
                assertThat(seq).as("sequence numbers never go back").isGreaterThanOrEqualTo(previousSeq);
                previousSeq = seq;
            }
            assertThat(seq(received.get(received.size() - 1))).as("sequence numbers move on")
                    .isGreaterThanOrEqualTo(seq(received.get(0)) + received.size() - 2);
        }
    }

    @Test
    void when_paused_then_nothingPublishedUntilResumed() throws Exception {
        try (SensorSimulator sim = SensorSimulator.start(settings(1, 50))) {
            sim.pause();
            int publishedWhilePaused = sim.published().size();
            // The registration answers with the current value; only the notifications after it count.
            Notifications notifications = new Notifications(2);
            CoapObserveRelation relation = client(sim.uris().get(0)).observe(notifications);
            try {
                assertThat(notifications.latch.await(500, TimeUnit.MILLISECONDS)).as("notified while paused").isFalse();
                assertThat(notifications.responses).hasSize(1);
                assertThat(sim.published()).hasSize(publishedWhilePaused);

                sim.resume();
                assertThat(notifications.latch.await(5, TimeUnit.SECONDS)).as("notified after resume").isTrue();
                assertThat(sim.published()).hasSizeGreaterThan(publishedWhilePaused);
            } finally {
                relation.proactiveCancel();
            }
        }
    }

    @Test
    void when_sameSeed_then_sameWalk() {
        SimulationSettings settings = settings(2, 1);
        SensorReading first;
        SensorReading again;
        SensorReading otherSeed;
        try (SensorSimulator a = SensorSimulator.start(settings);
             SensorSimulator b = SensorSimulator.start(settings);
             SensorSimulator c = SensorSimulator.start(settings.toBuilder().set(SimulationSettings.SEED, 7L).build())) {
            first = a.published().get(0);
            again = b.published().get(0);
            otherSeed = c.published().get(0);
        }
        assertThat(again).usingRecursiveComparison().ignoringFields("timestamp").isEqualTo(first);
        assertThat(otherSeed.temperature()).isNotEqualTo(first.temperature());
    }

    @Test
    void when_closedTwice_then_secondCloseDoesNothingAndPortIsFree() {
        SensorSimulator sim = SensorSimulator.start(settings(1, 1));
        int port = sim.port();
        sim.close();
        sim.close();

        SimulationSettings samePort = settings(1, 1).toBuilder().set(SimulationSettings.PORT, port).build();
        try (SensorSimulator again = SensorSimulator.start(samePort)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void when_settingsInvalid_then_rejectedNamingKeyAndValue() {
        SimulationSettings defaults = SimulationSettings.defaults();
        assertThat(List.of(defaults.sensors(), defaults.places(), defaults.port())).containsExactly(12, 3, 0);
        assertThat(defaults.readingsPerSecond()).isEqualTo(2.0);
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.seed()).isEqualTo(42);
        SimulationSettings.Builder b = defaults.toBuilder();

        assertThatThrownBy(() -> b.set(SimulationSettings.SENSORS, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sensors must be at least 1, was '0'");
        assertThatThrownBy(() -> b.set(SimulationSettings.PLACES, -2))
                .hasMessage("places must be at least 1, was '-2'");
        assertThatThrownBy(() -> b.set(SimulationSettings.READINGS_PER_SECOND, 0.0))
                .hasMessage("readings.per.second must be above 0 and at most 1000, was '0'");
        assertThatThrownBy(() -> b.set(SimulationSettings.READINGS_PER_SECOND, Double.NaN))
                .hasMessage("readings.per.second must be above 0 and at most 1000, was 'NaN'");
        assertThatThrownBy(() -> b.set(SimulationSettings.READINGS_PER_SECOND, 5000.0))
                .hasMessage("readings.per.second must be above 0 and at most 1000, was '5000'");
        assertThatThrownBy(() -> b.set(SimulationSettings.HOST, " "))
                .hasMessage("host must be non-blank, was ' '");
        assertThatThrownBy(() -> b.set(SimulationSettings.PORT, 65536))
                .hasMessage("port must be between 0 and 65535, was '65536'");
        assertThatThrownBy(() -> b.read(SettingsReader.of(Map.of("readings.per.second", "fast"))))
                .hasMessage("readings.per.second must be a number such as 0.5 or 2, was 'fast'");
        assertThat(SimulationSettings.builder().read(SettingsReader.of(Map.of("sensors", "4",
                "readings.per.second", "0.5", "seed", "7"))).build())
                .isEqualTo(SimulationSettings.builder().set(SimulationSettings.SENSORS, 4)
                        .set(SimulationSettings.READINGS_PER_SECOND, 0.5).set(SimulationSettings.SEED, 7L).build());
    }

    @Test
    void when_unknownSensor_then_placeOfNamesIt() {
        try (SensorSimulator sim = SensorSimulator.start(settings(2, 1))) {
            assertThatThrownBy(() -> sim.placeOf("s-9"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown sensor 's-9', expected s-1 to s-2");
        }
    }

    private static SimulationSettings settings(int sensors, double readingsPerSecond) {
        return SimulationSettings.builder().set(SimulationSettings.SENSORS, sensors)
                                 .set(SimulationSettings.READINGS_PER_SECOND, readingsPerSecond).build();
    }

    private static CoapClient client(String uri) {
        return new CoapClient(uri).setEndpoint(endpoint).setTimeout(2_000L);
    }

    private static CoapResponse get(String uri) throws ConnectorException, IOException {
        CoapClient client = client(uri);
        try {
            return client.get();
        } finally {
            client.shutdown();
        }
    }

    private static SensorReading parse(byte[] payload) {
        Decoded decoded = PARSER.parse(new RawReading("test", System.currentTimeMillis(), payload));
        assertThat(decoded).as("parsed %s", new String(payload, StandardCharsets.UTF_8))
                .isInstanceOf(SensorReading.class);
        return (SensorReading) decoded;
    }

    private static long seq(CoapResponse response) {
        Matcher m = SEQ.matcher(response.getResponseText());
        assertThat(m.find()).as("seq in %s", response.getResponseText()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Collects the responses of one observe relation and counts them down. */
    private static final class Notifications implements CoapHandler {
        final List<CoapResponse> responses = new CopyOnWriteArrayList<>();
        final CountDownLatch latch;

        Notifications(int expected) {
            latch = new CountDownLatch(expected);
        }

        @Override
        public void onLoad(CoapResponse response) {
            responses.add(response);
            latch.countDown();
        }

        @Override
        public void onError() {
            // A failed relation shows as missing notifications: the latch is not counted down.
        }
    }
}
