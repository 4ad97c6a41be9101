package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.test.TestSupport;
import com.hazelcast.jet.impl.JetEvent;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.WindowStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * The processor alone under {@link TestSupport}: window results get their place's silent sensors, and a status that
 * changes the number writes the place's last window again. Snapshots need the job-level serializers TestSupport
 * does not have: {@code LivenessTwoMembersIT} restores this processor from a snapshot.
 */
class PlaceSilencePTest {

    @Test
    void when_statusesChangeTheCount_then_windowsCarryItAndTheLastIsWrittenAgain() {
        TestSupport.verifyProcessor(PlaceSilenceP.supplier())
                .input(List.of(
                        status("s-1", "p-1", SensorState.SILENT),       // no window of p-1 yet: nothing to write
                        window("p-1", 0, 2),
                        status("s-2", "p-1", SensorState.SILENT),
                        status("s-2", "p-1", SensorState.SILENT),       // the same state again: no change
                        status("s-2", "p-1", SensorState.OFFLINE),      // still not online: no change
                        status("s-3", "p-1", SensorState.ONLINE),       // was never silent: no change
                        new Watermark(500),
                        window("p-1", 1000, 1),
                        status("s-1", "p-1", SensorState.ONLINE),
                        window("p-2", 0, 4),
                        status("s-1", "p-2", SensorState.OFFLINE)))     // the sensor moved: p-2 counts it
                .disableSnapshots()
                .disableProgressAssertion()
                .outputChecker((expected, actual) -> describe(expected).equals(describe(actual)))
                .expectOutput(List.of(
                        window("p-1", 0, 2, 1),
                        window("p-1", 0, 2, 2),
                        new Watermark(500),
                        window("p-1", 1000, 1, 2),
                        window("p-1", 1000, 1, 1),
                        window("p-2", 0, 4, 0),
                        window("p-2", 0, 4, 1)));
    }

    private static JetEvent<SensorStatus> status(String sensor, String place, SensorState state) {
        return jetEvent(0, new SensorStatus(sensor, place, state, 0, 0, 100, 1000, 0));
    }

    private static JetEvent<WindowStats> window(String place, long start, long count) {
        return window(place, start, count, null);
    }

    private static JetEvent<WindowStats> window(String place, long start, long count, Integer silent) {
        return jetEvent(start + 1000, new WindowStats(place, start, start + 1000, true, count, count, 20.0, 20.0,
                20.0, 0.0, 0, null, null, null, null, 0, null, null, null, null, 0, null, null, null, null, silent));
    }

    /** Each item as its window's id, start, count and silent sensors, or the watermark. */
    private static List<String> describe(List<?> items) {
        return items.stream().map(i -> i instanceof JetEvent<?> e && e.payload() instanceof WindowStats w
                ? w.id() + '@' + w.windowStart() + " count=" + w.count() + " silent=" + w.silentSensors()
                : i.toString()).toList();
    }
}
