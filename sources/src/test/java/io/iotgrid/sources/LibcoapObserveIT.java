package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link CoapSources#observe} against libcoap's server, an implementation independent of Californium. */
@Timeout(30)
class LibcoapObserveIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ReadingParser PARSER = new ReadingParser(ReadingFormat.nested());
    private static final String PATH = "/sensors/lib-1";

    @AutoClose
    private static LibcoapServer server;
    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @BeforeAll
    static void start() throws Exception {
        server = LibcoapServer.start(LibcoapServer.freeUdpPort(), "-d", "10");
        member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember("libcoap-observe-it-" + UUID.randomUUID(),
                5811));
    }

    @Test
    void when_libcoapResourceIsPut_then_observersReceiveEveryValue() throws Exception {
        long start = System.currentTimeMillis();
        List<String> sent = new ArrayList<>();
        sent.add(json(start, 20.0));
        CoapResponse created = server.put(PATH, sent.get(0));
        assertThat(created).as("answer to the creating PUT").isNotNull();
        assertThat(created.getCode()).isEqualTo(CoAP.ResponseCode.CREATED);

        IList<RawReading> raw = member.getList("libcoap-raw");
        Pipeline p = Pipeline.create();
        p.readFrom(CoapSources.observe(server.uri(PATH)))
         .withoutTimestamps()
         .writeTo(Sinks.list(raw));
        Job job = member.getJet().newJob(p);
        try {
            // The registration is answered with the current value; each PUT after it must come as a notification.
            awaitReceived(raw, sent);
            for (int i = 1; i <= 4; i++) {
                sent.add(json(start + i * 1000L, 20.0 + i / 2.0));
                CoapResponse changed = server.put(PATH, sent.get(i));
                assertThat(changed).as("answer to PUT %d", i).isNotNull();
                assertThat(changed.getCode()).isEqualTo(CoAP.ResponseCode.CHANGED);
                // One PUT at a time: observe may skip a value replaced before its notification went out.
                awaitReceived(raw, sent);
            }

            for (RawReading reading : List.copyOf(raw)) {
                assertThat(reading.source()).isEqualTo(server.uri(PATH));
                Decoded decoded = PARSER.parse(reading);
                assertThat(decoded).isInstanceOf(SensorReading.class);
                assertThat(((SensorReading) decoded).sensorId()).isEqualTo("lib-1");
            }
        } finally {
            job.cancel();
        }
        assertThatThrownBy(job::join).isInstanceOf(CancellationException.class);
    }

    private static void awaitReceived(IList<RawReading> raw, List<String> sent) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(List.copyOf(raw).stream().map(r -> new String(r.payload(),
                StandardCharsets.UTF_8)).toList()).containsExactlyElementsOf(sent));
    }

    private static String json(long timestamp, double temperature) {
        return String.format(Locale.ROOT, "{\"id\":\"lib-1\",\"place_id\":\"lab\",\"timestamp\":%d,"
                + "\"payload\":{\"temperature\":%.1f}}", timestamp, temperature);
    }
}
