package io.iotgrid.sources;

import com.hazelcast.collection.IList;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations heal when libcoap's server dies or stops and comes back on the same port: readings flow again
 * within a bounded time, which is asserted.
 */
@Timeout(120)
class LibcoapRecoveryIT {

    /** libcoap's example resource: observable, a notification every second (Max-Age 1). */
    private static final String TIME = "/time";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Longest allowed time from the restart to the first reading after it: one maximal backoff (1 s) plus one
     * observe request that times out (about 2 s with the retransmission settings below) plus a watchdog period,
     * with generous slack for a machine shared with other builds.
     */
    private static final Duration RESUMES_WITHIN = Duration.ofSeconds(15);
    /**
     * Californium's own re-registration window with the settings below: Max-Age (1 s) + its re-registration
     * backoff (2 s) + the CON retransmissions of that request (200 ms, doubling, 2 retransmissions, up to 1.5 x
     * random: 2.1 s). After a longer outage Californium itself has given up.
     */
    private static final Duration CALIFORNIUM_WINDOW = Duration.ofMillis(5_100);

    @AutoClose("shutdown")
    private static HazelcastInstance member;

    @RegisterExtension
    final Resources resources = new Resources();

    @BeforeAll
    static void start() {
        member = Hazelcast.newHazelcastInstance(SourceJobs.member("libcoap-recovery-it-" + UUID.randomUUID(), 6010));
    }

    @AfterAll
    static void noCaliforniumPropertiesWritten() {
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @ParameterizedTest(name = "confirmable={0}")
    @ValueSource(booleans = {true, false})
    void when_serverKilledAndRestarted_then_observationResumes(boolean confirmable) throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPort()));
        String uri = server.uri(TIME);
        IList<CoapNotification> received = member.getList("recovery-kill-" + UUID.randomUUID());
        Job job = run(settings(uri).set(CoapObserveSettings.CONFIRMABLE, confirmable).build(), received);
        await().atMost(WAIT).until(() -> received.size() >= 3);

        server.kill();
        // The source must notice by itself (an error, an unanswered request or a silent relation), not be told.
        await().atMost(WAIT).until(() -> SourceJobs.value(job, "coapErrors", uri) >= 2);
        server.restart();

        assertResumes(received, uri, System.currentTimeMillis());
        assertThat(SourceJobs.value(job, "coapReobservations", uri)).isPositive();
    }

    @Test
    void when_serverStoppedCleanlyLongerThanCaliforniumRetries_then_observationResumes() throws Exception {
        LibcoapServer server = resources.add(LibcoapServer.start(LibcoapServer.freeUdpPort()));
        String uri = server.uri(TIME);
        IList<CoapNotification> received = member.getList("recovery-stop-" + UUID.randomUUID());
        Job job = run(settings(uri).build(), received);
        await().atMost(WAIT).until(() -> received.size() >= 3);

        long stoppedAt = System.nanoTime();
        server.stop();
        // Several failed re-observations: the outage outlasts Californium's own re-registration.
        await().atMost(WAIT).until(() -> SourceJobs.value(job, "coapErrors", uri) >= 3
                && System.nanoTime() - stoppedAt > CALIFORNIUM_WINDOW.toNanos());
        server.restart();

        assertResumes(received, uri, System.currentTimeMillis());
    }

    private static void assertResumes(IList<CoapNotification> received, String uri, long restartedAt) {
        await().atMost(RESUMES_WITHIN).untilAsserted(() -> assertThat(List.copyOf(received))
                .filteredOn(n -> n.resource().equals(uri) && n.receivedAt() >= restartedAt)
                .as("readings after the restart").hasSizeGreaterThanOrEqualTo(2));
    }

    private static CoapObserveSettings.Builder settings(String uri) {
        return CoapObserveSettings.builder()
                .set(CoapObserveSettings.URIS, List.of(uri))
                .set(CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(200))
                .set(CoapObserveSettings.REOBSERVE_MAX_BACKOFF, Duration.ofSeconds(1))
                // libcoap's /time notifies every second with Max-Age 1: a bound that short notices the kill as
                // soon as Max-Age alone did before coap.max.silence existed.
                .set(CoapObserveSettings.MAX_SILENCE, Duration.ofSeconds(1))
                .set(CoapObserveSettings.MAX_AGE_MARGIN, Duration.ofSeconds(3))
                .set(CoapObserveSettings.REGISTRATION_TIMEOUT, Duration.ofSeconds(2))
                .set(CoapObserveSettings.ACK_TIMEOUT, Duration.ofMillis(200))
                .set(CoapObserveSettings.MAX_RETRANSMIT, 2);
    }

    private Job run(CoapObserveSettings settings, IList<CoapNotification> into) {
        return SourceJobs.run(member, resources, CoapSources.observeNotifications(settings), into);
    }
}
