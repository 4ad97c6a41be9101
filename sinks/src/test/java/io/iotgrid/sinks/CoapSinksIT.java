package io.iotgrid.sinks;

import com.hazelcast.config.EventJournalConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.pipeline.JournalInitialPosition;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.map.IMap;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.LibcoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.iotgrid.sinks.CoapSinkSettings.BIND_ADDRESS;
import static io.iotgrid.sinks.CoapSinkSettings.CONFIRMABLE;
import static io.iotgrid.sinks.CoapSinkSettings.DEAD_LETTERS_MAP;
import static io.iotgrid.sinks.CoapSinkSettings.ERROR_POLICY;
import static io.iotgrid.sinks.CoapSinkSettings.MAX_RETRIES;
import static io.iotgrid.sinks.CoapSinkSettings.METHOD;
import static io.iotgrid.sinks.CoapSinkSettings.REQUEST_TIMEOUT;
import static io.iotgrid.sinks.CoapSinkSettings.RETRY_INTERVAL;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link CoapSinks#json} against in-process Californium servers on 127.0.0.1: delivery and the error policies. */
@Timeout(120)
class CoapSinksIT {

    private static final int PORT = 6400;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> SENSORS = List.of("s-1", "s-2", "s-3");
    /** Loopback only, and short timeouts so that failures show within a second. */
    private static final CoapSinkSettings LOCAL = CoapSinkSettings.builder()
            .set(BIND_ADDRESS, "127.0.0.1").set(REQUEST_TIMEOUT, Duration.ofMillis(500)).build();

    private static TestCluster cluster;

    @RegisterExtension
    final Resources resources = new Resources();

    /** Jackson finds no property to write, so it cannot be sent as JSON. */
    static final class Opaque implements Serializable {
        @Override
        public String toString() {
            return "opaque";
        }
    }

    @BeforeAll
    static void start() {
        cluster = TestCluster.start("coap-sinks-it", PORT, config -> {
            // Job metrics show retries within a second instead of the configured five.
            config.getMetricsConfig().setCollectionFrequencySeconds(1);
            // A replayable source, so that a restart resumes from the snapshot's offsets.
            config.addMapConfig(new MapConfig("coap-journal*")
                    .setEventJournalConfig(new EventJournalConfig().setEnabled(true)));
        });
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void when_itemsPutAsConfirmable_then_serverReceivesEachAsJsonInOrderPerResource() {
        RecordingCoapServer server = resources.add(RecordingCoapServer.start(0, "sensors", SENSORS));
        List<Reading> input = Reading.sequence(60, SENSORS);
        String sensors = server.uri("/sensors/");

        cluster.submit(input, CoapSinks.json(r -> sensors + r.sensorId(), LOCAL)).join();

        assertThat(server.received()).hasSize(input.size()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo(CoAP.Code.PUT);
            assertThat(r.contentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
        });
        for (String sensor : SENSORS) {
            assertThat(server.received().stream().filter(r -> r.path().equals("/sensors/" + sensor))
                             .map(r -> Reading.parse(r.payload())))
                    .as("what /sensors/%s received, in order", sensor)
                    .containsExactlyElementsOf(input.stream().filter(r -> r.sensorId().equals(sensor)).toList());
        }
    }

    @Test
    void when_itemsPostedAsNonConfirmable_then_serverReceivesEveryOne() {
        RecordingCoapServer server = resources.add(RecordingCoapServer.start(0, "sensors", SENSORS));
        List<Reading> input = Reading.sequence(30, SENSORS);
        String sensors = server.uri("/sensors/");

        cluster.submit(input, CoapSinks.json(r -> sensors + r.sensorId(),
                LOCAL.toBuilder().set(METHOD, CoapMethod.POST).set(CONFIRMABLE, false).build())).join();

        assertThat(server.received()).extracting(RecordingCoapServer.Received::method)
                                     .containsOnly(CoAP.Code.POST);
        assertThat(server.received().stream().map(r -> Reading.parse(r.payload())))
                .containsExactlyInAnyOrderElementsOf(input);
    }

    @Test
    void when_jobRestartsWithRequestsQueued_then_snapshotWaitsForThemAndEveryItemArrives() {
        RecordingCoapServer server = resources.add(RecordingCoapServer.start(0, "sensors", List.of("s-1"),
                Duration.ofMillis(40)));
        String uri = server.uri("/sensors/s-1");
        List<Reading> input = Reading.sequence(60, List.of("s-1"));
        IMap<Long, Reading> journal = cluster.member().getMap("coap-journal-restart");
        Pipeline p = Pipeline.create();
        p.readFrom(Sources.<Long, Reading>mapJournal(journal.getName(), JournalInitialPosition.START_FROM_OLDEST))
         .withoutTimestamps()
         .map(Map.Entry::getValue)
         .writeTo(CoapSinks.json(r -> uri, LOCAL));
        // No periodic snapshot: the restart's terminal snapshot is the one that must wait for the queued items.
        Job job = cluster.member().getJet().newJob(p, new JobConfig()
                .setProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE).setSnapshotIntervalMillis(3_600_000));
        // Jet refuses to cancel while the graceful restart is still under way: try again until it takes.
        resources.onClose(() -> await().atMost(WAIT).ignoreException(IllegalStateException.class).until(() -> {
            if (!job.getStatus().isTerminal()) {
                job.cancel();
            }
            return true;
        }));
        input.forEach(r -> journal.set(r.seq(), r));

        // One URI, a slow server and 8 in flight: 7 items wait behind the one being answered.
        await().atMost(WAIT).until(() -> server.received().size() >= 10);
        job.restart();

        await().atMost(WAIT).untilAsserted(() -> assertThat(server.received().stream()
                .map(r -> Reading.parse(r.payload())).distinct()).containsExactlyInAnyOrderElementsOf(input));
    }

    @Test
    void when_serverDownUnderRetry_then_everythingArrivesOnceItIsBackOnTheSamePort() {
        int port;
        try (RecordingCoapServer first = RecordingCoapServer.start(0, "sensors", SENSORS)) {
            port = first.port();
        }
        List<Reading> input = Reading.sequence(40, SENSORS);
        Job job = cluster.submit(input, CoapSinks.json(r -> "coap://127.0.0.1:" + port + "/sensors/" + r.sensorId(),
                LOCAL.toBuilder().set(ERROR_POLICY, ErrorPolicy.RETRY).set(REQUEST_TIMEOUT, Duration.ofMillis(300))
                     .set(RETRY_INTERVAL, Duration.ofMillis(200)).set(MAX_RETRIES, 300)
                     .set(DEAD_LETTERS_MAP, "dead-coap-retry").build()));

        await().atMost(WAIT).until(() -> metric(job, "retriedRequests") > 0);
        assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
        RecordingCoapServer second = resources.add(RecordingCoapServer.start(port, "sensors", SENSORS));
        job.join();

        for (String sensor : SENSORS) {
            // A retry after a lost response may arrive twice; order per resource holds.
            assertThat(new LinkedHashSet<>(second.received().stream()
                                                  .filter(r -> r.path().equals("/sensors/" + sensor))
                                                  .map(r -> Reading.parse(r.payload())).toList()))
                    .as("what /sensors/%s received, in order", sensor)
                    .containsExactlyElementsOf(input.stream().filter(r -> r.sensorId().equals(sensor)).toList());
        }
        assertThat(cluster.client().getMap("dead-coap-retry").size()).as("dead letters").isZero();
    }

    @Test
    void when_resourceMissingUnderNoop_then_deadLettersKeepUriReasonAndJson() {
        RecordingCoapServer server = resources.add(RecordingCoapServer.start(0, "sensors", List.of("s-1")));
        List<Reading> input = Reading.sequence(12, SENSORS);
        String sensors = server.uri("/sensors/");

        cluster.submit(input, CoapSinks.json(r -> sensors + r.sensorId(),
                LOCAL.toBuilder().set(ERROR_POLICY, ErrorPolicy.NOOP).set(DEAD_LETTERS_MAP, "dead-coap-noop")
                     .build())).join();

        assertThat(server.received().stream().map(r -> Reading.parse(r.payload())))
                .containsExactlyElementsOf(input.stream().filter(r -> r.sensorId().equals("s-1")).toList());
        IMap<String, DeadLetter> deadLetters = cluster.client().getMap("dead-coap-noop");
        List<Reading> missing = input.stream().filter(r -> !r.sensorId().equals("s-1")).toList();
        assertThat(deadLetters.values()).extracting(d -> Reading.parse(new String(d.payload(), UTF_8)))
                                        .containsExactlyInAnyOrderElementsOf(missing);
        assertThat(deadLetters.values()).allSatisfy(d -> {
            String uri = server.uri("/sensors/" + Reading.parse(new String(d.payload(), UTF_8)).sensorId());
            assertThat(d.source()).isEqualTo(uri);
            assertThat(d.reason()).isEqualTo("PUT " + uri + " answered 4.04");
            assertThat(d.receivedAt()).isPositive();
        });
    }

    @Test
    void when_retriesRunOut_then_deadLettersSayWhyAndHowOften() throws IOException {
        int silentPort = LibcoapServer.freeUdpPort();
        List<Reading> input = Reading.sequence(4, SENSORS);

        Job job = cluster.submit(input, CoapSinks.json(r -> "coap://127.0.0.1:" + silentPort + "/sensors/"
                        + r.sensorId(),
                LOCAL.toBuilder().set(ERROR_POLICY, ErrorPolicy.RETRY).set(CONFIRMABLE, false)
                     .set(REQUEST_TIMEOUT, Duration.ofMillis(200)).set(RETRY_INTERVAL, Duration.ofMillis(50))
                     .set(MAX_RETRIES, 2).set(DEAD_LETTERS_MAP, "dead-coap-given-up").build()));
        job.join();

        IMap<String, DeadLetter> deadLetters = cluster.client().getMap("dead-coap-given-up");
        assertThat(deadLetters.values()).extracting(d -> Reading.parse(new String(d.payload(), UTF_8)))
                                        .containsExactlyInAnyOrderElementsOf(input);
        assertThat(deadLetters.values()).allSatisfy(d -> assertThat(d.reason())
                .isEqualTo("PUT " + d.source() + " got no response within PT0.2S, given up after 2 retries"));
        assertThat(metric(job, "retriedRequests")).isEqualTo(2L * input.size());
        assertThat(metric(job, "deadLetters")).isEqualTo(input.size());
    }

    @Test
    void when_itemCannotEverBeSentUnderRetry_then_deadLetteredAtOnceAndTheRestDelivered() {
        RecordingCoapServer server = resources.add(RecordingCoapServer.start(0, "sensors", SENSORS));
        Reading good = new Reading("s-1", 1, 21.5, Instant.parse("2026-11-24T08:00:00Z"));
        Reading secure = new Reading("secure", 2, 21.5, Instant.parse("2026-11-24T08:00:01Z"));
        Reading nowhere = new Reading("nowhere", 3, 21.5, Instant.parse("2026-11-24T08:00:02Z"));
        String secureUri = "coaps://127.0.0.1:" + server.port() + "/sensors/s-1";
        String sensors = server.uri("/sensors/");
        List<Object> input = List.of(good, secure, nowhere, new Opaque());

        Job job = cluster.submit(input, CoapSinks.json(item -> {
            if (!(item instanceof Reading r)) {
                return sensors + "s-2";
            }
            return switch (r.sensorId()) {
                case "secure" -> secureUri;
                case "nowhere" -> throw new IllegalStateException("no resource for sensor nowhere");
                default -> sensors + r.sensorId();
            };
        }, LOCAL.toBuilder().set(ERROR_POLICY, ErrorPolicy.RETRY).set(DEAD_LETTERS_MAP, "dead-coap-unsendable")
                .build()));
        job.join();

        assertThat(server.received()).extracting(r -> Reading.parse(r.payload())).containsExactly(good);
        Map<String, DeadLetter> bySource = cluster.client().<String, DeadLetter>getMap("dead-coap-unsendable")
                .values().stream().collect(Collectors.toMap(DeadLetter::source, d -> d));
        assertThat(bySource).containsOnlyKeys(secureUri, "coapSink(PUT CON)", server.uri("/sensors/s-2"));
        assertThat(bySource.get(secureUri).reason()).isEqualTo("PUT " + secureUri + " cannot be sent: a coaps:// "
                + "URI needs DTLS credentials, but the sink's security is CoapSecurity.none(): set them with "
                + "CoapSinkSettings.SECURITY");
        assertThat(Reading.parse(new String(bySource.get(secureUri).payload(), UTF_8))).isEqualTo(secure);
        assertThat(bySource.get("coapSink(PUT CON)").reason())
                .isEqualTo("uriFn failed for the item: java.lang.IllegalStateException: no resource for sensor "
                        + "nowhere");
        assertThat(new String(bySource.get("coapSink(PUT CON)").payload(), UTF_8)).isEqualTo(nowhere.toString());
        assertThat(bySource.get(server.uri("/sensors/s-2")).reason())
                .startsWith("cannot write the item as JSON: No serializer found for class");
        assertThat(new String(bySource.get(server.uri("/sensors/s-2")).payload(), UTF_8)).isEqualTo("opaque");
        assertThat(metric(job, "deadLetters")).isEqualTo(3);
        assertThat(metric(job, "retriedRequests")).as("retries of what can never be sent").isZero();
    }

    @Test
    void when_resourceMissingUnderThrow_then_jobFailsNamingSinkAndUri() {
        RecordingCoapServer server = resources.add(RecordingCoapServer.start(0, "sensors", List.of("s-1")));
        String sensors = server.uri("/sensors/");

        Job job = cluster.submit(Reading.sequence(3, SENSORS), CoapSinks.json(r -> sensors + r.sensorId(), LOCAL));

        assertThatThrownBy(job::join).hasStackTraceContaining("coapSink(PUT CON) failed to send an item: PUT "
                + server.uri("/sensors/s-2") + " answered 4.04");
        assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    }

    /** The sum over all processors of the sink's user metric {@code name}, as last collected; 0 when absent. */
    private static long metric(Job job, String name) {
        return job.getMetrics().get(name).stream().mapToLong(Measurement::value).sum();
    }
}
