package io.iotgrid.jobs;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.metrics.Metric;
import com.hazelcast.jet.core.metrics.Metrics;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.ServiceFactories;
import com.hazelcast.jet.pipeline.ServiceFactory;
import com.hazelcast.jet.pipeline.SourceBuilder;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;
import com.hazelcast.jet.pipeline.WindowDefinition;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.impl.ChangedWindowsP;
import io.iotgrid.sinks.GridSinks;

import java.util.ArrayList;
import java.util.List;

/**
 * The aggregation job: parses raw payloads, windows readings by event time and keeps per-sensor and per-place
 * aggregates in the grid. The same pipeline runs on any source of {@link RawReading}s: CoAP observe, Kafka, or
 * {@code TestSources} in tests.
 * <pre>
 *   source ─ parse ─┬─ dead letters ─────────────────────────────────▶ IMap   dead_letters
 *                   └─ readings ─┬──────────────────────────────────▶ Ringbuffer sensor_readings
 *                                ├─ threshold rules ────────────────▶ ReliableTopic sensor_alerts
 *                                └─ event time ─┬─ window by sensor ▶ IMap   sensor_stats
 *                                               └─ window by place ─▶ IMap   place_stats
 * </pre>
 * <b>What reaches the grid, and how often:</b> with a snapshotting processing guarantee the window state is
 * restored after a failure; the stats maps hold the latest window per key, so writing a result again is
 * harmless (effectively exactly once for what they show). Just after a restore, a key may briefly show the
 * window of the last snapshot again, until the newer one is written anew (at most one early-results period,
 * or when that window closes). Readings, alerts and dead letters are at least
 * once: after a restore, those sent since the last snapshot may be written again. What the source itself
 * delivers depends on the source (CoAP observe is latest-state and loses what it never received).
 * <p>
 * Submit it with {@link JobSerializers#register} on its {@code JobConfig}, so it can share members with other
 * iot-grid jobs submitted from jars.
 */
public final class AggregationJob {

    /** Sensor id of the clock ticks that advance event time while no readings arrive; never a real id. */
    static final String CLOCK_TICK_ID = "";
    /** How often the clock ticks, in ms: the granularity of closing quiet windows. */
    private static final long CLOCK_TICK_MILLIS = 200;

    /** Windows of event time without a result after which a key's newest-window marker is dropped. */
    static final int LATEST_TTL_WINDOWS = 10;

    /** User metric: payloads parsed into readings. */
    public static final String READINGS_PARSED = "readingsParsed";
    /** User metric: payloads that became dead letters. */
    public static final String DEAD_LETTERS = "deadLetters";

    private AggregationJob() {
    }

    /**
     * The pipeline reading from {@code source}. Example:
     * {@code AggregationJob.build(CoapSources.observe("coap://127.0.0.1:5683/sensors/s-1"),
     * AggregationSettings.defaults())}.
     */
    public static Pipeline build(StreamSource<RawReading> source, AggregationSettings settings) {
        Pipeline p = Pipeline.create();
        ReadingParser parser = new ReadingParser(settings.format());
        StreamStage<Decoded> decoded = p.readFrom(source)
                .withoutTimestamps()
                .mapUsingService(ParseCounter.factory(), (counter, raw) -> counter.count(parser.parse(raw)))
                .setName("parse");
        aggregate(decoded, settings);
        return p;
    }

    /**
     * The part every flavour shares, from decoded input to the grid: dead letters to their map, readings to the
     * Ringbuffer and the alert rules, and event-time windows per sensor and per place to the stats maps. Event
     * time is taken from each reading here, after {@code decoded}: use it for sources that hand over payloads
     * from one stream, such as CoAP observe. Example, for a source that decodes as it reads:
     * {@code AggregationJob.aggregate(p.readFrom(source).withoutTimestamps(), settings)}.
     * <p>
     * The watermark then follows the newest reading each processor of the event-time stage has seen, less the
     * allowed lateness; with {@link AggregationSettings#quietCloseAfter()} set, a wall-clock tick keeps it moving
     * when readings stop. A source whose processors read several partitions that may run far apart in event
     * time (Kafka replaying history) needs {@link #aggregateInEventTime} instead.
     *
     * @param decoded readings and dead letters, without timestamps: event time is taken from each reading
     * @return the window results, early and final, as written to the stats maps, for further sinks
     */
    public static Aggregates aggregate(StreamStage<Decoded> decoded, AggregationSettings settings) {
        settings.requireConsistent();
        StreamStage<SensorReading> readings = route(decoded, settings);
        StreamStage<SensorReading> timed = settings.quietCloseAfter() == null
                ? readings
                : readings.merge(decoded.getPipeline()
                        .readFrom(eventTimeClock(settings.quietCloseAfter().toMillis())).withoutTimestamps());
        timed = timed.addTimestamps(SensorReading::timestamp, settings.allowedLateness().toMillis())
                     .filter(r -> !CLOCK_TICK_ID.equals(r.sensorId())).setName("inEventTime");
        return windows(timed, settings);
    }

    /**
     * {@link #aggregate} for a stage that already carries event time, stamped at the source with
     * {@link #eventTime} so that the source keeps a watermark per partition (Jet coalesces them): readings of a
     * partition that lags behind another are not late. The Kafka flavour reads this way, e.g.
     * {@code AggregationJob.aggregateInEventTime(p.readFrom(source).withTimestamps(AggregationJob::eventTime,
     * settings.allowedLateness().toMillis()), settings)}. {@link AggregationSettings#quietCloseAfter()} is then
     * the source's watermark policy's business (see {@link KafkaAggregationJob#source}); it is not applied here.
     *
     * @param decoded readings and dead letters, with timestamps from {@link #eventTime}
     * @return the window results, early and final, as written to the stats maps, for further sinks
     */
    public static Aggregates aggregateInEventTime(StreamStage<Decoded> decoded, AggregationSettings settings) {
        settings.requireConsistent();
        return windows(route(decoded, settings), settings);
    }

    /**
     * The event time of a decoded payload for a source's {@code withTimestamps}: a reading's timestamp, and
     * {@link Long#MIN_VALUE} for a dead letter, which never enters a window and so neither moves the watermark
     * nor counts as late.
     */
    public static long eventTime(Decoded decoded) {
        return decoded instanceof SensorReading r ? r.timestamp() : Long.MIN_VALUE;
    }

    /** Sends dead letters, readings and alerts to the grid; returns the readings. */
    private static StreamStage<SensorReading> route(StreamStage<Decoded> decoded, AggregationSettings settings) {
        decoded.map(d -> d instanceof DeadLetter dl ? dl : null).setName("deadLetters")
               .writeTo(GridSinks.deadLetters(settings.deadLettersMap()));

        StreamStage<SensorReading> readings = decoded
                .map(d -> d instanceof SensorReading r ? r : null).setName("readings");
        readings.writeTo(GridSinks.ringbuffer(settings.readingsRingbuffer()));

        List<AlertRule> rules = settings.alertRules();
        if (!rules.isEmpty()) {
            readings.flatMap(r -> alerts(rules, r)).setName("alerts")
                    .writeTo(GridSinks.reliableTopic(settings.alertsTopic()));
        }
        return readings;
    }

    private static Aggregates windows(StreamStage<SensorReading> timed, AggregationSettings settings) {
        return new Aggregates(
                windows(timed, settings, SensorReading::sensorId, settings.sensorStatsMap(), "bySensor"),
                windows(timed, settings, SensorReading::placeId, settings.placeStatsMap(), "byPlace"));
    }

    /**
     * The window results of {@link #aggregate}, each early and final result of every window.
     *
     * @param bySensor windows per sensor, as written to the sensor stats map
     * @param byPlace  windows per place, as written to the place stats map
     */
    public record Aggregates(StreamStage<WindowStats> bySensor, StreamStage<WindowStats> byPlace) {
    }

    /**
     * Counts each outcome in the job's user metrics {@value #READINGS_PARSED} and {@value #DEAD_LETTERS}, which
     * members publish with their other metrics (JMX, Prometheus) tagged with the job and the {@code parse} vertex.
     * One per processor: it looks the two metrics up on first use, in the processor's context, and keeps them,
     * because a lookup per item (a thread-local and a map) showed in the profile of the hot path.
     */
    static final class ParseCounter {
        private Metric parsed;
        private Metric deadLetters;

        /** A counter per processor, for {@code mapUsingService}. */
        static ServiceFactory<?, ParseCounter> factory() {
            return ServiceFactories.nonSharedService(ctx -> new ParseCounter());
        }

        Decoded count(Decoded decoded) {
            if (parsed == null) {
                parsed = Metrics.metric(READINGS_PARSED);
                deadLetters = Metrics.metric(DEAD_LETTERS);
            }
            (decoded instanceof DeadLetter ? deadLetters : parsed).increment();
            return decoded;
        }
    }

    private static StreamStage<WindowStats> windows(StreamStage<SensorReading> timed, AggregationSettings settings,
                                                    FunctionEx<SensorReading, String> keyFn, String mapName,
                                                    String stageName) {
        long size = settings.windowSize().toMillis();
        long early = settings.earlyResultsPeriod().toMillis();
        // With early results, our processor emits only the windows that changed (Jet's emits every key each
        // period); without, Jet's two-stage aggregation pre-aggregates on each member before the shuffle.
        StreamStage<KeyedWindowResult<String, StatsAccumulator.Result>> windows = early > 0
                ? timed.groupingKey(keyFn).<KeyedWindowResult<String, StatsAccumulator.Result>>customTransform(
                        stageName, () -> new ChangedWindowsP<>(keyFn, size, early))
                : timed.window(WindowDefinition.tumbling(size)).groupingKey(keyFn)
                       .aggregate(StatsAccumulator.aggregateOperation()).setName(stageName);
        StreamStage<WindowStats> results = windows.map(AggregationJob::toWindowStats);
        results
             // The newest window is chosen in the job, and the map gets plain writes in key order (GridSinks.map
             // partitions by key): an entry processor would need our classes on every member for its backups,
             // which a member of the distribution has only in the job's class loader.
             .groupingKey(WindowStats::id)
             // A time to live, unlike none, lets Jet space watermarks by a tenth of it (its planner then caps them
             // at one per second of event time); without one every stateful stage asks for a watermark per
             // millisecond, which at replay speed means one every few readings in every vertex.
             .mapStateful(LATEST_TTL_WINDOWS * settings.windowSize().toMillis(),
                     () -> new long[]{Long.MIN_VALUE, 0, 0}, (last, id, stats) -> ifLatest(last, stats),
                     (last, id, watermark) -> null)
             .setName(stageName + "Latest")
             .writeTo(GridSinks.map(mapName, WindowStats::id, stats -> stats));
        return results;
    }

    private static WindowStats toWindowStats(KeyedWindowResult<String, StatsAccumulator.Result> w) {
        StatsAccumulator.Result r = w.result();
        return WindowStats.of(w.key(), w.start(), w.end(), w.isEarly(), r.readings(), r.byMeasure());
    }

    /**
     * Keeps the newest window: {@code update}, or {@code null} when an early or final result of an older window
     * arrives after a newer window's result, or an early result after its window's final one, or an early result
     * that repeats the last one let through (same window, same count: nothing changed). Jet emits an early result
     * for every key of every open window each period, changed or not; dropping the unchanged ones here keeps the
     * writes to the stats maps in proportion to the readings. {@code last} holds the start, earliness (1 for
     * early) and count of the key's last window let through, and is saved in snapshots; one per sensor and place,
     * dropped once the key has had no result for {@value #LATEST_TTL_WINDOWS} windows of event time, when no
     * older result of it can still be on its way.
     */
    static WindowStats ifLatest(long[] last, WindowStats update) {
        if (!replaces(update.windowStart(), update.early(), last[0], last[1] == 1)) {
            return null;
        }
        if (update.early() && last[1] == 1 && update.windowStart() == last[0] && update.count() == last[2]) {
            return null;
        }
        last[0] = update.windowStart();
        last[1] = update.early() ? 1 : 0;
        last[2] = update.count();
        return update;
    }

    private static boolean replaces(long start, boolean early, long currentStart, boolean currentEarly) {
        return start > currentStart || (start == currentStart && (currentEarly || !early));
    }

    static Traverser<ThresholdAlert> alerts(List<AlertRule> rules, SensorReading reading) {
        List<ThresholdAlert> alerts = null;
        for (AlertRule rule : rules) {
            ThresholdAlert a = rule.check(reading);
            if (a != null) {
                if (alerts == null) {
                    alerts = new ArrayList<>(rules.size());
                }
                alerts.add(a);
            }
        }
        return alerts == null ? Traversers.empty() : Traversers.traverseIterable(alerts);
    }

    /**
     * Ticks stamped {@code lagMillis} behind the wall clock, one instance per member. Merged into the readings
     * they move the watermark forward when readings stop, so the last windows close; while readings are
     * current, their own timestamps are ahead of the ticks and the ticks change nothing.
     */
    private static StreamSource<SensorReading> eventTimeClock(long lagMillis) {
        return SourceBuilder.stream("eventTimeClock(lag=" + lagMillis + "ms)", ctx -> new long[1])
                .<SensorReading>fillBufferFn((lastTick, buf) -> {
                    long now = System.currentTimeMillis();
                    if (now - lastTick[0] >= CLOCK_TICK_MILLIS) {
                        lastTick[0] = now;
                        buf.add(new SensorReading(CLOCK_TICK_ID, CLOCK_TICK_ID, now - lagMillis,
                                Double.NaN, Double.NaN, Double.NaN, Double.NaN));
                    }
                })
                .distributed(1)
                .build();
    }
}
