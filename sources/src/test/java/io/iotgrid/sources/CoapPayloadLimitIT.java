package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.impl.ResourceCounters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.iotgrid.core.testing.LargePayloads.paddedJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications above and below {@code payload.max.bytes} from an in-process Californium server, which sends them
 * block-wise: below, one reading (also above Californium's own default of 8 KiB); above, one dead letter with the
 * first bytes and the size, a counted error, and readings again once the resource is small again.
 */
@Timeout(120)
class CoapPayloadLimitIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        member = Hazelcast.newHazelcastInstance(SourceJobs.member("coap-limit-it-" + UUID.randomUUID(),
                MosquittoBroker.freeTcpPort()));
    }

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_notificationsAboveAndBelowLimit_then_readingBelowAndDeadLetterWithFirstBytesAndSizeAbove() {
        String below = reading("s-below", 1, 20_000);
        String above = reading("s-above", 1, 200_000);
        TestCoapServer.Resource small = new TestCoapServer.Resource("below", 60, below);
        TestCoapServer.Resource large = new TestCoapServer.Resource("above", 60, above);
        TestCoapServer server = resources.add(new TestCoapServer(small, large));
        String aboveUri = server.uri("/above");
        CoapObserveSettings settings = CoapObserveSettings.builder()
                .set(CoapObserveSettings.URIS, List.of(server.uri("/below"), aboveUri))
                .set(CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(100))
                .set(CoapObserveSettings.REOBSERVE_MAX_BACKOFF, Duration.ofMillis(500))
                .build();
        IList<String> received = member.getList("limit-" + UUID.randomUUID());
        Job job = run(settings, received);

        await().atMost(WAIT).until(() -> received.contains("reading s-below"));
        await().atMost(WAIT).until(() -> received.stream().anyMatch(r -> r.startsWith("dead ")));
        String dead = received.stream().filter(r -> r.startsWith("dead ")).findFirst().orElseThrow();
        byte[] first = above.getBytes(StandardCharsets.UTF_8);
        assertThat(dead).isEqualTo("dead " + aboveUri + " | " + PayloadLimit.reason(first.length,
                PayloadLimit.DEFAULT_MAX_BYTES) + " | " + new String(first, 0, 512, StandardCharsets.UTF_8));
        // Californium aborted the transfer and cancelled the relation: every re-observation meets the same state,
        // which is counted each time but not delivered again.
        await().atMost(WAIT).until(() -> SourceJobs.value(job, ResourceCounters.ERRORS, aboveUri) >= 3);
        assertThat(SourceJobs.value(job, ResourceCounters.REOBSERVATIONS, aboveUri)).isPositive();
        assertThat(received).filteredOn(r -> r.startsWith("dead ")).hasSize(1);
        assertThat(received).noneMatch(r -> r.equals("reading s-above"));

        large.publish(reading("s-above", 2, 100));
        await().atMost(WAIT).until(() -> received.contains("reading s-above"));
        assertThat(SourceJobs.value(job, ResourceCounters.ERRORS, server.uri("/below"))).isZero();
    }

    @Test
    void when_singleDatagramAboveSmallLimit_then_deadLetterAndRelationKept() {
        String json = reading("s-1", 1, 900);
        TestCoapServer.Resource resource = new TestCoapServer.Resource("one", 60, json);
        TestCoapServer server = resources.add(new TestCoapServer(resource));
        String uri = server.uri("/one");
        IList<String> received = member.getList("limit-small-" + UUID.randomUUID());
        Job job = run(CoapObserveSettings.of(uri).toBuilder().set(CoapObserveSettings.MAX_PAYLOAD_BYTES, 800)
                .build(), received);

        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(received.get(0)).isEqualTo("dead " + uri + " | " + PayloadLimit.reason(900, 800) + " | " + json);
        resource.publish(reading("s-1", 2, 100));
        await().atMost(WAIT).until(() -> received.contains("reading s-1"));
        // Metrics are collected every second: wait for the count of the notifications seen.
        await().atMost(WAIT).until(() -> SourceJobs.value(job, ResourceCounters.NOTIFICATIONS, uri) == 2);
        assertThat(SourceJobs.value(job, ResourceCounters.ERRORS, uri)).isEqualTo(1);
        assertThat(SourceJobs.value(job, ResourceCounters.REOBSERVATIONS, uri)).isZero();
    }

    /** A nested-format reading padded with spaces to {@code size} bytes. */
    private static String reading(String id, long timestamp, int size) {
        return new String(paddedJson("{\"id\":\"" + id + "\",\"place_id\":\"p-1\",\"timestamp\":" + timestamp
                + ",\"payload\":{\"temperature\":21.5}", size), StandardCharsets.UTF_8);
    }

    private Job run(CoapObserveSettings settings, IList<String> into) {
        Pipeline p = Pipeline.create();
        p.readFrom(CoapSources.readings(settings, new ReadingParser(ReadingFormat.nested()), null)).withoutTimestamps()
         .map(d -> d instanceof DeadLetter dl
                 ? "dead " + dl.source() + " | " + dl.reason() + " | " + new String(dl.payload(), StandardCharsets.UTF_8)
                 : "reading " + ((SensorReading) d).sensorId())
         .writeTo(Sinks.list(into));
        Job job = member.getJet().newJob(p);
        resources.onClose(() -> {
            job.cancel();
            await().atMost(WAIT).until(() -> job.getStatus().isTerminal());
        });
        return job;
    }
}
