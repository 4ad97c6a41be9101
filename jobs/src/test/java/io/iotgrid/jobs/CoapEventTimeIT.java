package io.iotgrid.jobs;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.TestCoapServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.iotgrid.core.testing.GridReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event time of the CoAP source, per resource: two in-process Californium resources whose clocks are an hour apart,
 * as when a gateway replays its backlog beside live sensors, observed by one source processor, in pure event time
 * (no wall-clock floor).
 */
@Timeout(180)
class CoapEventTimeIT {

    private static final int PORT = 5930;
    /** Start of a window of the live resource: tumbling windows are aligned to multiples of their size. */
    private static final long LIVE = 1_700_000_040_000L;
    private static final long BEHIND = LIVE - Duration.ofHours(1).toMillis();
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration LATENESS = Duration.ofSeconds(2);
    private static final long STEP_MILLIS = 1_000;
    private static final int READINGS = 30;
    /** Ten readings in each, per resource. */
    private static final int WINDOWS = 3;
    /** Jet's default partition idle timeout: what closing the last windows must not wait for. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_resourceClockAnHourBehindAndInputEnds_then_noReadingLateAndLastWindowsCloseWithoutIdleWait() {
        TestCoapServer.Resource live = new TestCoapServer.Resource("live", 60, reading("live", LIVE, 0));
        TestCoapServer.Resource behind = new TestCoapServer.Resource("behind", 60, reading("behind", BEHIND, 0));
        TestCoapServer server = resources.add(new TestCoapServer(live, behind));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("coap-event-time-" + UUID.randomUUID(), PORT));
        resources.onClose(() -> member.getLifecycleService().terminate());
        AggregationSettings settings = AggregationSettings.builder()
                .set(AggregationSettings.SENSOR_STATS_MAP, "et_sensor_stats")
                .set(AggregationSettings.PLACE_STATS_MAP, "et_place_stats")
                .set(AggregationSettings.READINGS_RINGBUFFER, "et_readings")
                .set(AggregationSettings.ALERTS_TOPIC, "et_alerts")
                .set(AggregationSettings.DEAD_LETTERS_MAP, "et_dead_letters")
                .set(AggregationSettings.WINDOW_SIZE, WINDOW)
                .set(AggregationSettings.ALLOWED_LATENESS, LATENESS)
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null).build();
        CoapObserveSettings coap = CoapObserveSettings.of(server.uri("/live"), server.uri("/behind"));

        // Every window result, not only the latest per key that the stats map keeps.
        Pipeline p = Pipeline.create();
        AggregationJob.aggregate(p.readFrom(AggregationJob.coapSource(coap, settings))
                        .withTimestamps(AggregationJob::eventTime, LATENESS.toMillis()), settings)
                .bySensor().filter(w -> !w.early()).writeTo(Sinks.list("et_windows"));
        Job job = member.getJet().newJob(p);
        resources.onClose(job::cancel);

        // Observe carries the latest state: each value is published once the job has the one before, so none is
        // replaced before it is sent. The resource an hour behind also sends a payload that is no reading.
        Ringbuffer<SensorReading> received = member.getRingbuffer(settings.readingsRingbuffer());
        Map<String, DeadLetter> deadLetters = member.getMap(settings.deadLettersMap());
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 2);
        for (int n = 1; n < READINGS; n++) {
            live.publish(reading("live", LIVE, n));
            behind.publish(reading("behind", BEHIND, n));
            long expected = 2L * (n + 1);
            await().pollInterval(Duration.ofMillis(20)).until(() -> received.size() >= expected);
            if (n == READINGS / 2) {
                behind.publish("{\"id\":\"behind\",\"timestamp\":\"an hour ago\"}");
                await().pollInterval(Duration.ofMillis(20)).until(() -> deadLetters.size() == 1);
            }
        }
        // The input ends: each resource's last value lies past the last window of both.
        long end = LIVE + READINGS * STEP_MILLIS + WINDOW.toMillis() + LATENESS.toMillis();
        live.publish(closer("live-end", end));
        behind.publish(closer("behind-end", end));
        long endedAt = System.nanoTime();

        // The closers' own windows stay open: three closed windows per resource is all there is to wait for.
        List<WindowStats> windows = member.getList("et_windows");
        Duration wellBeforeIdleTimeout = IDLE_TIMEOUT.dividedBy(3);
        await().atMost(wellBeforeIdleTimeout).pollInterval(Duration.ofMillis(50))
               .until(() -> windows.size() >= 2 * WINDOWS);
        assertThat(Duration.ofNanos(System.nanoTime() - endedAt)).as("last windows closed when the input ended")
                .isLessThan(wellBeforeIdleTimeout);

        assertThat(readAll(received)).extracting(SensorReading::timestamp)
                .containsAll(LongStream.range(0, READINGS).mapToObj(n -> BEHIND + n * STEP_MILLIS).toList())
                .containsAll(LongStream.range(0, READINGS).mapToObj(n -> LIVE + n * STEP_MILLIS).toList());
        // Windows that close together come out in any order.
        Map<String, List<Long>> starts = windows.stream().sorted(Comparator.comparingLong(WindowStats::windowStart))
                .collect(Collectors.groupingBy(WindowStats::id,
                        Collectors.mapping(WindowStats::windowStart, Collectors.toList())));
        assertThat(starts).isEqualTo(Map.of("live", windowStarts(LIVE), "behind", windowStarts(BEHIND)));
        assertThat(windows).as("every reading in its window, none of either resource late")
                .allSatisfy(w -> assertThat(w.count()).as("count of %s at %d", w.id(), w.windowStart())
                        .isEqualTo(READINGS / WINDOWS));
        assertThat(deadLetters.values()).singleElement().satisfies(dl ->
                assertThat(dl.source()).isEqualTo(server.uri("/behind")));
    }

    private static List<Long> windowStarts(long first) {
        return LongStream.range(0, WINDOWS).mapToObj(w -> first + w * WINDOW.toMillis()).toList();
    }

    /** The {@code n}-th reading of {@code sensor}, {@code n} steps after {@code start}. */
    private static String reading(String sensor, long start, int n) {
        return "{\"id\":\"" + sensor + "\",\"place_id\":\"p-" + sensor + "\",\"timestamp\":"
                + (start + n * STEP_MILLIS) + ",\"payload\":{\"temperature\":" + n + "}}";
    }

    private static String closer(String sensor, long timestamp) {
        return "{\"id\":\"" + sensor + "\",\"place_id\":\"p-end\",\"timestamp\":" + timestamp
                + ",\"payload\":{\"temperature\":0}}";
    }
}
