package io.iotgrid.sources.impl;

import com.hazelcast.logging.Logger;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.sources.CoapNotification;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.TestCoapServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link CoapObserver} without Jet, against an in-process Californium server. */
@Timeout(30)
class CoapObserverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_restoredMarkMatchesFirstAnswer_then_notDeliveredAgainButLaterChangesAre() {
        TestCoapServer.Resource resource = new TestCoapServer.Resource("s", 60, "{\"v\":1}");
        TestCoapServer server = resources.add(new TestCoapServer(resource));
        String uri = server.uri("/s");
        BlockingQueue<CoapNotification> queue = new ArrayBlockingQueue<>(10);
        CoapObserver first = observer(CoapObserveSettings.of(uri), queue, Map.of());
        await().atMost(WAIT).until(() -> queue.size() == 1);
        Map<String, ObserveMark> marks = first.marks();
        first.close();
        assertThat(marks).containsOnlyKeys(uri);
        queue.clear();

        // As after a restore from a snapshot: the same state answers the new observe request.
        CoapObserver restored = observer(CoapObserveSettings.of(uri), queue, marks);
        await().atMost(WAIT).until(() -> restored.counters().get(uri).notifications() == 1);
        assertThat(queue).as("the replayed state").isEmpty();

        resource.publish("{\"v\":2}");
        await().atMost(WAIT).until(() -> queue.size() == 1);
        assertThat(new String(queue.peek().payload())).isEqualTo("{\"v\":2}");
        assertThat(queue.peek().observe()).isNotEqualTo(marks.get(uri).observe());
    }

    @Test
    void when_queueFull_then_droppedCountedPerResource() {
        TestCoapServer.Resource resource = new TestCoapServer.Resource("s", 60, "{\"v\":0}");
        TestCoapServer server = resources.add(new TestCoapServer(resource));
        String uri = server.uri("/s");
        BlockingQueue<CoapNotification> queue = new ArrayBlockingQueue<>(1);
        CoapObserver observer = observer(CoapObserveSettings.of(uri).toBuilder()
                .set(CoapObserveSettings.QUEUE_CAPACITY, 1).build(), queue, Map.of());
        await().atMost(WAIT).until(() -> queue.size() == 1);

        for (int i = 1; i <= 3; i++) {
            resource.publish("{\"v\":" + i + "}");
            long expected = i;
            await().atMost(WAIT).until(() -> observer.counters().get(uri).dropped() == expected);
        }
        assertThat(observer.counters().get(uri).notifications()).isEqualTo(4);
    }

    @Test
    void when_failuresRepeat_then_backoffDoublesUpToTheMaximum() {
        CoapObserver observer = new CoapObserver(CoapObserveSettings.of("coap://127.0.0.1:5683/s").toBuilder()
                .set(CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(250))
                .set(CoapObserveSettings.REOBSERVE_MAX_BACKOFF, Duration.ofSeconds(3)).build(),
                Logger.getLogger(getClass()),
                uri -> true, new ArrayBlockingQueue<>(1), "test", Map.of());

        assertThat(List.of(0, 1, 2, 3, 4, 40).stream().map(observer::backoffMillis))
                .containsExactly(250L, 500L, 1000L, 2000L, 3000L, 3000L);
    }

    @Test
    void when_observeNumbersSkip_then_skippedCountedWithWrapAround() {
        assertThat(ObserveMark.skipped(5, 6)).isZero();
        assertThat(ObserveMark.skipped(5, 9)).isEqualTo(3);
        assertThat(ObserveMark.skipped((1 << 24) - 1, 1)).isEqualTo(1);
        assertThat(ObserveMark.skipped(9, 5)).as("older: not a gap").isZero();
        assertThat(ObserveMark.skipped(5, 5)).isZero();
    }

    @Test
    void when_sharedOverProcessors_then_everyResourceHasExactlyOneOwner() {
        for (int i = 0; i < 1000; i++) {
            String uri = "coap://127.0.0.1:5683/sensors/s-" + i;
            int owners = 0;
            for (int p = 0; p < 3; p++) {
                owners += StreamCoapP.owns(uri, p, 3) ? 1 : 0;
            }
            assertThat(owners).as(uri).isEqualTo(1);
        }
    }

    private CoapObserver observer(CoapObserveSettings settings, BlockingQueue<CoapNotification> queue,
                                  Map<String, ObserveMark> marks) {
        CoapObserver observer = new CoapObserver(settings, Logger.getLogger(getClass()), uri -> true, queue,
                "coap-observer-test", marks);
        observer.start();
        resources.onClose(observer::close);
        return observer;
    }
}
