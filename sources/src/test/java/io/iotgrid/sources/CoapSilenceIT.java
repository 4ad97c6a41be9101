package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.impl.ResourceCounters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Californium server that sends no Max-Age (as node-coap and many devices do), killed and restarted on the same
 * port 10 s later: the relation it forgot is noticed after {@code coap.max.silence} plus the margin, not after CoAP's
 * default Max-Age of 60 s, with a warning that names the resource and a re-observation counted.
 */
@Timeout(120)
class CoapSilenceIT {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** Longer than the outage, so that it is the silence, not an error, that brings the relation back. */
    private static final Duration MAX_SILENCE = Duration.ofSeconds(12);
    private static final Duration MARGIN = Duration.ofSeconds(2);
    /** Backoff, the new observe request and a watchdog period, with slack for a machine shared with other builds. */
    private static final Duration SLACK = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        member = Hazelcast.newHazelcastInstance(SourceJobs.member("coap-silence-it-" + UUID.randomUUID(),
                MosquittoBroker.freeTcpPort()));
    }

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void when_serverWithoutMaxAgeRestartsAfter10s_then_observedAgainWithinSilenceBoundPlusMargin() {
        AtomicReference<TestCoapServer.Resource> current = new AtomicReference<>(resource());
        TestCoapServer first = new TestCoapServer(current.get());
        int port = first.port();
        AtomicReference<TestCoapServer> server = new AtomicReference<>(first);
        resources.onClose(() -> server.get().close());
        // The device notifies twice a second while it runs.
        AtomicLong sequence = new AtomicLong();
        ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();
        resources.onClose(device::shutdownNow);
        device.scheduleAtFixedRate(() -> current.get().publish(json(sequence.incrementAndGet())), 500, 500,
                TimeUnit.MILLISECONDS);
        String uri = first.uri("/plain");
        WarningLog log = WarningLog.capture(resources);
        IList<CoapNotification> received = member.getList("silence-" + UUID.randomUUID());
        Job job = SourceJobs.run(member, resources, CoapSources.observeNotifications(CoapObserveSettings.builder()
                .set(CoapObserveSettings.URIS, List.of(uri))
                .set(CoapObserveSettings.MAX_SILENCE, MAX_SILENCE)
                .set(CoapObserveSettings.MAX_AGE_MARGIN, MARGIN)
                .set(CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(200))
                .build()), received);
        await().atMost(WAIT).until(() -> received.size() >= 3);
        assertThat(received.get(0).maxAge()).as("no Max-Age: CoAP's default").isEqualTo(60);

        server.get().close();
        long killedAt = System.currentTimeMillis();
        // The outage itself is the test's subject: the server is away for OUTAGE, whatever the source does.
        await().atMost(OUTAGE.plusSeconds(5)).until(() -> System.currentTimeMillis() - killedAt >= OUTAGE.toMillis());
        assertThat(SourceJobs.value(job, ResourceCounters.REOBSERVATIONS, uri)).as("nothing noticed yet").isZero();
        current.set(resource());
        server.set(new TestCoapServer(port, current.get()));

        long bound = MAX_SILENCE.plus(MARGIN).plus(SLACK).toMillis();
        await().atMost(Duration.ofMillis(bound)).until(() -> received.stream()
                .anyMatch(n -> n.receivedAt() > killedAt + OUTAGE.toMillis()));
        long resumedAt = received.stream().filter(n -> n.receivedAt() > killedAt).mapToLong(CoapNotification::receivedAt)
                .min().orElseThrow();
        assertThat(resumedAt - killedAt).as("resumed after the kill, ms").isLessThan(bound);
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains(uri, "coap.max.silence",
                "observing it again with a new token"));
        await().atMost(WAIT).until(() -> SourceJobs.value(job, ResourceCounters.REOBSERVATIONS, uri) >= 1);
    }

    private static TestCoapServer.Resource resource() {
        return new TestCoapServer.Resource("plain", TestCoapServer.Resource.NO_MAX_AGE, json(0));
    }

    private static String json(long n) {
        return "{\"n\":" + n + "}";
    }
}
