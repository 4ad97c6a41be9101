package io.iotgrid.jobs;

import com.hazelcast.function.ConsumerEx;
import com.hazelcast.jet.core.processor.SourceProcessors;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.SensorReading;
import io.iotgrid.sources.WallClockFloor;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sensors a test starts and stops while the job runs: each started sensor reports every {@code periodMillis} of the
 * wall clock, stamped with the wall clock, its temperature changing with every reading (or constant for a sensor
 * started {@link #startStuck stuck}). The source reads which sensors report from this object, through a static
 * registry, so it works across a job restart as long as the members run in the test's JVM. One instance in the
 * cluster, which keeps no snapshot state: like a live stream, it simply goes on after a restart.
 */
final class LiveSensors implements AutoCloseable {

    /** Per test: sensor id to its place, and whether its value is stuck. */
    private static final Map<String, Map<String, Sensor>> REPORTING = new ConcurrentHashMap<>();

    private final String run = UUID.randomUUID().toString();
    private final Map<String, Sensor> reporting = new ConcurrentHashMap<>();

    LiveSensors() {
        REPORTING.put(run, reporting);
    }

    void start(String sensorId, String placeId) {
        reporting.put(sensorId, new Sensor(placeId, false));
    }

    void startStuck(String sensorId, String placeId) {
        reporting.put(sensorId, new Sensor(placeId, true));
    }

    void stop(String... sensorIds) {
        Set.of(sensorIds).forEach(reporting::remove);
    }

    /** The source of the readings, stamped where they enter, with {@code settings}' wall-clock floor. */
    StreamSource<Decoded> source(long periodMillis, AggregationSettings settings) {
        String id = run;
        return Sources.streamFromProcessorWithWatermarks("liveSensors", false,
                policy -> SourceProcessors.<Map<String, long[]>, Decoded, Void>convenientTimestampedSourceP(
                        ctx -> new HashMap<>(),
                        (next, buf) -> {
                            long now = System.currentTimeMillis();
                            REPORTING.getOrDefault(id, Map.of()).forEach((sensor, s) -> {
                                // [next due time, readings sent]
                                long[] due = next.computeIfAbsent(sensor, k -> new long[]{now, 0});
                                if (now >= due[0]) {
                                    due[0] = now + periodMillis;
                                    double temperature = s.stuck ? 21.5 : 20 + due[1] % 7 * 0.5;
                                    due[1]++;
                                    buf.add(new SensorReading(sensor, s.placeId, now, temperature, Double.NaN,
                                            Double.NaN, Double.NaN));
                                }
                            });
                            next.keySet().retainAll(REPORTING.getOrDefault(id, Map.of()).keySet());
                        },
                        WallClockFloor.apply(policy, settings.quietCloseAfter()),
                        ctx -> null, (ctx, states) -> { }, ConsumerEx.noop(), 0));
    }

    @Override
    public void close() {
        REPORTING.remove(run);
    }

    private record Sensor(String placeId, boolean stuck) {
    }
}
