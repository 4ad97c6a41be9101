package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link CoapSources#observe} in a Jet job on an embedded member, against the in-process sensor simulator. */
@Timeout(30)
class CoapSourcesIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ReadingParser PARSER = new ReadingParser(ReadingFormat.nested());

    @AutoClose
    private static SensorSimulator simulator;
    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @BeforeAll
    static void start() {
        simulator = SensorSimulator.start(SimulationSettings.builder().set(SimulationSettings.SENSORS, 3)
                .set(SimulationSettings.READINGS_PER_SECOND, 5.0).build());
        member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember("coap-source-it-" + UUID.randomUUID(),
                5801));
    }

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @ParameterizedTest(name = "confirmable={0}")
    @ValueSource(booleans = {true, false})
    void when_simulatorPublishes_then_readingsArriveFromEveryResource(boolean confirmable) {
        IList<RawReading> raw = member.getList("raw-" + confirmable);
        Pipeline p = Pipeline.create();
        p.readFrom(CoapSources.observe(CoapObserveSettings.builder()
                        .set(CoapObserveSettings.URIS, simulator.uris())
                        .set(CoapObserveSettings.CONFIRMABLE, confirmable).build()))
         .withoutTimestamps()
         .writeTo(Sinks.list(raw));

        Job job = member.getJet().newJob(p);
        try {
            await().atMost(WAIT).untilAsserted(() -> {
                // A copy first: streaming the IList proxy sizes the stream before a concurrent append lands.
                List<String> sources = List.copyOf(raw).stream().map(RawReading::source).toList();
                for (String uri : simulator.uris()) {
                    assertThat(sources).as("readings from %s", uri).filteredOn(uri::equals).hasSizeGreaterThan(3);
                }
            });

            List<SensorReading> published = simulator.published();
            for (RawReading reading : List.copyOf(raw)) {
                Decoded decoded = PARSER.parse(reading);
                assertThat(decoded).isInstanceOf(SensorReading.class);
                SensorReading sensorReading = (SensorReading) decoded;
                assertThat(reading.source()).endsWith("/sensors/" + sensorReading.sensorId());
                assertThat(published).contains(sensorReading);
            }
        } finally {
            job.cancel();
        }

        assertThatThrownBy(job::join).isInstanceOf(CancellationException.class);
        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(job.isUserCancelled()).isTrue();
        // The source deregistered its relations when the job ended (GET with Observe 1).
        await().atMost(WAIT).untilAsserted(() -> assertThat(simulator.observers()).isZero());
    }
}
