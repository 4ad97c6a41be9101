package io.iotgrid.jobs;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.core.metrics.Metric;
import com.hazelcast.jet.core.metrics.Metrics;
import com.hazelcast.jet.datamodel.KeyedWindowResult;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.ServiceFactories;
import com.hazelcast.jet.pipeline.ServiceFactory;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.jet.pipeline.StreamStage;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.LateReading;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.jobs.impl.ChangedWindowsP;
import io.iotgrid.jobs.impl.LivenessRules;
import io.iotgrid.jobs.impl.PartitionKeys;
import io.iotgrid.jobs.impl.PlaceSilenceP;
import io.iotgrid.jobs.impl.SensorStageP;
import io.iotgrid.jobs.impl.WindowPartial;
import io.iotgrid.sinks.GridSinks;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.CoapSources;
import io.iotgrid.sources.MqttSourceSettings;
import io.iotgrid.sources.MqttSources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregation job: windows readings by event time and keeps per-sensor and per-place aggregates in the grid.
 * The same pipeline runs on any source of decoded payloads that stamps event time where the data enters: CoAP
 * observe (parsed in the source, event time per resource), MQTT (parsed in the source, event time per session),
 * Kafka (decoded in the source, event time per partition), or {@code TestSources} in tests.
 * <pre>
 *   source: parse, event time ─┬─ dead letters ────────────────────────────────────────▶ IMap   dead_letters
 *                              └─ parse counter, readings ─┬──────────────────────────▶ Ringbuffer sensor_readings
 *                                                          ├─ threshold rules ────────▶ ReliableTopic sensor_alerts
 *                                                          └─ by sensor ─┬─ late ─────▶ IMap late_readings
 *    (one keyed stage: liveness, late and duplicate readings,            ├─ statuses ─▶ IMap sensor_status
 *     the sensor's window, its part of the place's window)               ├─ alerts ───▶ ReliableTopic sensor_alerts
 *                                                                        ├─ windows ──▶ IMap sensor_stats
 *                                                                        └─ place parts ─ by place ─┬─ silent
 *                                                                           sensors by place (statuses) ─▶ IMap place_stats
 * </pre>
 * Per reading there is one shuffle, by sensor, into {@link SensorStageP}, which keeps all of a sensor's state in
 * one place; the shuffle by place carries, per early-results period, one part of each place's window per sensor-stage
 * processor ({@link WindowPartial}), which {@link ChangedWindowsP} combines.
 * <p>
 * The stats maps show each key's newest window, early or final; its last closed window and its history (every
 * closed window, rolled up into hours and days) are in the maps of {@link WindowHistory}.
 * <p>
 * <b>Late readings and duplicates:</b> a reading whose window has closed (the watermark, the newest event time
 * less {@link AggregationSettings#allowedLateness()}, has passed the window's end) is written to the late-readings
 * map and counted in {@value #LATE_READINGS}, never dropped; the windows count each reading once
 * ({@link AggregationSettings#duplicates()}), repeats counted in {@value #DUPLICATE_READINGS}. See
 * {@link SensorStageP}.
 * <p>
 * <b>What reaches the grid, and how often:</b> with a snapshotting processing guarantee the window state is
 * restored after a failure; the stats maps hold the latest window per key, so writing a result again is
 * harmless (effectively exactly once for what they show). Just after a restore, a key may briefly show the
 * window of the last snapshot again, until the newer one is written anew (at most one early-results period,
 * or when that window closes). Readings, alerts and dead letters are at least
 * once: after a restore, those sent since the last snapshot may be written again. Sensor liveness
 * ({@link AggregationSettings#LIVENESS}) is judged on the wall clock, also when no reading arrives at all; its state
 * is in snapshots, and after a restore a sensor that was online gets its silent bound anew from the restore, so the
 * job's own downtime raises no alert. What the source itself
 * delivers depends on the source (CoAP observe is latest-state and loses what it never received).
 * <p>
 * Submit it with {@link JobSerializers#register} on its {@code JobConfig}, so it can share members with other
 * iot-grid jobs submitted from jars.
 */
public final class AggregationJob {

    /** Windows of event time without a result after which a key's newest-window marker is dropped. */
    static final int LATEST_TTL_WINDOWS = 10;

    /**
     * The {@code job.*} settings of the CoAP flavour (the demo and the CoAP job jar): by default the job is
     * {@code iot-grid-coap-aggregation}, at least once (CoAP observe itself is at most once).
     */
    public static final SettingGroup COAP_JOB = JobSettings.group("CoAP aggregation job", "iot-grid-coap-aggregation",
            ProcessingGuarantee.AT_LEAST_ONCE);

    /**
     * The {@code job.*} settings of the MQTT flavour (the demo and the MQTT job jar): by default the job is
     * {@code iot-grid-mqtt-aggregation}, at least once, with a snapshot every second: the source acknowledges QoS 1
     * and 2 messages only after the snapshot that holds them, and a broker sends a session only so many
     * unacknowledged ones (Mosquitto's {@code max_inflight_messages}, 20 by default).
     */
    public static final SettingGroup MQTT_JOB = JobSettings.group("MQTT aggregation job", "iot-grid-mqtt-aggregation",
            ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(1));

    /** User metric: payloads parsed into readings. */
    public static final String READINGS_PARSED = "readingsParsed";
    /** User metric: payloads that became dead letters. */
    public static final String DEAD_LETTERS = "deadLetters";
    /** Metric of the {@code bySensor} stage: readings too late for their window, kept in the late map. */
    public static final String LATE_READINGS = "lateReadings";
    /** Metric of the {@code bySensor} stage: repeated readings the windows did not count again. */
    public static final String DUPLICATE_READINGS = "duplicateReadings";

    private AggregationJob() {
    }

    /**
     * The pipeline reading from {@code source}, a source of decoded payloads that stamps event time where the data
     * enters ({@link #coapSource}, the Kafka flavour's {@link KafkaAggregationJob#source}, or any source that emits
     * watermarks, such as {@code TestSources} or a {@code SourceBuilder} source). Example:
     * {@code AggregationJob.build(AggregationJob.coapSource(CoapObserveSettings.of("coap://127.0.0.1:5683/s-1"),
     * settings), settings)}.
     */
    public static Pipeline build(StreamSource<Decoded> source, AggregationSettings settings) {
        Pipeline p = Pipeline.create();
        aggregate(read(p, source, settings), settings);
        return p;
    }

    /**
     * The CoAP observe source of the job: each answer parsed in the source by {@link AggregationSettings#parser()}
     * (the reading format and the plausible ranges), so that
     * event time is stamped per observed resource (a resource whose clock is far behind another's does not have its
     * readings counted late), with {@link AggregationSettings#quietCloseAfter()} as the wall-clock floor that closes
     * the windows of quiet sensors; a notification above {@link CoapObserveSettings#maxPayloadBytes()} is a dead
     * letter with its first bytes. See {@link CoapSources#readings}.
     */
    public static StreamSource<Decoded> coapSource(CoapObserveSettings coap, AggregationSettings settings) {
        return CoapSources.readings(coap, settings.parser(), settings.quietCloseAfter());
    }

    /**
     * The MQTT source of the job: each message parsed in the source by {@link AggregationSettings#parser()} (ids from
     * the topic
     * when {@link MqttSourceSettings#topicTemplate()} is set), so that event time is stamped per MQTT session, with
     * {@link AggregationSettings#quietCloseAfter()} as the wall-clock floor that closes the windows of quiet sensors.
     * At least once with QoS 1 and 2 when the job snapshots (the broker's messages are acknowledged after the
     * snapshot that holds them); see {@link MqttSources}. Example:
     * {@code AggregationJob.build(AggregationJob.mqttSource(MqttSourceSettings.of("mqtt://127.0.0.1:1883",
     * "plant/#"), settings), settings)}.
     */
    public static StreamSource<Decoded> mqttSource(MqttSourceSettings mqtt, AggregationSettings settings) {
        return MqttSources.readings(mqtt, settings.parser(), settings.quietCloseAfter());
    }

    /**
     * {@code source} in event time ({@link #eventTime}, with the allowed lateness as the watermark's lag), stamped by
     * the source itself.
     */
    static StreamStage<Decoded> read(Pipeline p, StreamSource<Decoded> source, AggregationSettings settings) {
        return p.readFrom(source)
                .withTimestamps(AggregationJob::eventTime, settings.allowedLateness().toMillis());
    }

    /**
     * The part every flavour shares, from decoded input in event time to the grid: dead letters to their map,
     * readings to the Ringbuffer and the alert rules, and event-time windows per sensor and per place to the stats
     * maps. Event time must be stamped where the data enters, by the source ({@code withTimestamps} on the source
     * stage, with {@link #eventTime}), so that the source keeps a watermark per partition or resource and Jet
     * coalesces them; the wall-clock floor of {@link AggregationSettings#quietCloseAfter()} is the source's
     * business too ({@link io.iotgrid.sources.WallClockFloor}). Example:
     * {@code AggregationJob.aggregate(p.readFrom(source).withTimestamps(AggregationJob::eventTime,
     * settings.allowedLateness().toMillis()), settings)}.
     *
     * @param withTimestamps readings and dead letters, stamped at the source with {@link #eventTime}
     * @return the window results, early and final, as written to the stats maps, for further sinks
     */
    public static Aggregates aggregate(StreamStage<Decoded> withTimestamps, AggregationSettings settings) {
        StreamStage<SensorReading> readings = route(withTimestamps, settings);
        long size = settings.windowSize().toMillis();
        long early = settings.earlyResultsPeriod().toMillis();
        LivenessRules rules = settings.liveness() ? LivenessRules.of(settings) : null;
        StreamStage<Object> bySensor = readings.groupingKey(r -> PartitionKeys.of(r.sensorId()))
                .customTransform("bySensor", SensorStageP.supplier(size, early, settings.duplicates(),
                        settings.duplicatesMaxPerSensor(), rules));

        StreamStage<LateReading> late = bySensor.map(o -> o instanceof LateReading l ? l : null)
                                                .setName("lateReadings");
        late.writeTo(GridSinks.map(settings.lateReadingsMap(), LateReading::key, l -> l));
        StreamStage<SensorStatus> statuses = rules == null ? null : liveness(bySensor, settings);
        @SuppressWarnings("unchecked")
        StreamStage<KeyedWindowResult<String, StatsAccumulator>> sensorWindows = bySensor
                .map(o -> o instanceof KeyedWindowResult<?, ?> w ? (KeyedWindowResult<String, StatsAccumulator>) w
                        : null)
                .setName("sensorWindows");
        StreamStage<KeyedWindowResult<String, StatsAccumulator>> placeWindows = bySensor
                .map(o -> o instanceof WindowPartial part ? part : null).setName("placeParts")
                .groupingKey(WindowPartial::key)
                .customTransform("byPlace", () -> new ChangedWindowsP<String>(size, early));
        StreamStage<LateReading> revisions = settings.historyRevisions() ? late : null;
        return new Aggregates(
                windows(sensorWindows, revisions, LateReading::sensorId, settings, settings.sensorStatsMap(),
                        "bySensor", null),
                windows(placeWindows, revisions, LateReading::placeId, settings, settings.placeStatsMap(),
                        "byPlace", statuses));
    }

    /**
     * Creates the SQL mappings of the maps the job writes with {@code settings}: the stats maps with their closed
     * and history maps, dead letters, late readings, and with liveness the sensor status map. The job jars' mains
     * and the demo call it before submitting, so {@code SELECT ... FROM sensor_stats} works at once.
     */
    public static void createSqlMappings(HazelcastInstance hz, AggregationSettings settings) {
        SqlMappings.create(hz, settings.sensorStatsMap(), settings.placeStatsMap(), settings.deadLettersMap());
        SqlMappings.createLateReadings(hz, settings.lateReadingsMap());
        if (settings.liveness()) {
            SqlMappings.createSensorStatus(hz, settings.sensorStatusMap());
        }
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

        // Counted and filtered in one stage: each stage a reading passes costs a hand-over between threads.
        StreamStage<SensorReading> readings = decoded
                .mapUsingService(ParseCounter.factory(), ParseCounter::readingOf).setName("parse");
        if (settings.readingsRingbuffer() != null) {
            readings.writeTo(GridSinks.ringbuffer(settings.readingsRingbuffer()));
        }

        List<AlertRule> rules = settings.alertRules();
        if (!rules.isEmpty()) {
            readings.flatMap(r -> alerts(rules, r)).setName("alerts")
                    .writeTo(GridSinks.reliableTopic(settings.alertsTopic()));
        }
        return readings;
    }

    /**
     * The liveness outputs of the sensor stage ({@link SensorStageP}): statuses to the sensor status map, status
     * changes and anomalies to the alerts topic.
     *
     * @return the statuses, for the silent sensors of each place ({@link PlaceSilenceP})
     */
    private static StreamStage<SensorStatus> liveness(StreamStage<Object> bySensor, AggregationSettings settings) {
        StreamStage<SensorStatus> statuses = bySensor.map(o -> o instanceof SensorStatus s ? s : null)
                                                     .setName("sensorStatus");
        statuses.writeTo(GridSinks.map(settings.sensorStatusMap(), SensorStatus::sensorId, s -> s));
        bySensor.map(o -> o instanceof ThresholdAlert a ? a : null).setName("livenessAlerts")
                .writeTo(GridSinks.reliableTopic(settings.alertsTopic()));
        return statuses;
    }

    /**
     * The window results of {@link #aggregate}, each early and final result of every window.
     *
     * @param bySensor windows per sensor, as written to the sensor stats map
     * @param byPlace  windows per place, as written to the place stats map but without its silent sensors
     *                 ({@link WindowStats#silentSensors()} null), which only the map's entries carry
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

        /** Counts {@code decoded}; returns it if it is a reading, null (nothing) for a dead letter. */
        SensorReading readingOf(Decoded decoded) {
            if (parsed == null) {
                parsed = Metrics.metric(READINGS_PARSED);
                deadLetters = Metrics.metric(DEAD_LETTERS);
            }
            if (decoded instanceof SensorReading r) {
                parsed.increment();
                return r;
            }
            deadLetters.increment();
            return null;
        }
    }

    /**
     * {@code windows} (early and final results, keyed by sensor or place) to history, the closed map and the stats
     * map; {@code late} readings, with revisions, into history; {@code statuses}, for places, give their silent
     * sensors.
     */
    private static StreamStage<WindowStats> windows(StreamStage<KeyedWindowResult<String, StatsAccumulator>> windows,
                                                    StreamStage<LateReading> late,
                                                    FunctionEx<LateReading, String> lateKeyFn,
                                                    AggregationSettings settings, String mapName, String stageName,
                                                    StreamStage<SensorStatus> statuses) {
        WindowHistory.write(windows, late, lateKeyFn, settings, mapName, stageName);
        StreamStage<WindowStats> results = windows.map(AggregationJob::toWindowStats);
        StreamStage<WindowStats> latest = latest(results, settings, stageName + "Latest");
        if (statuses != null) {
            latest = withSilentSensors(latest, statuses, stageName + "Silence");
        }
        latest.writeTo(GridSinks.map(mapName, WindowStats::id, stats -> stats));
        return results;
    }

    /**
     * The newest of {@code results} per key, {@link #ifLatest}: the stages between a window processor and a sink run
     * in parallel and may reorder a key's results.
     */
    static StreamStage<WindowStats> latest(StreamStage<WindowStats> results, AggregationSettings settings,
                                           String stageName) {
        return results
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
             .setName(stageName);
    }

    /**
     * The place windows of {@code latest} with each place's silent sensors ({@link PlaceSilenceP}), and a place's last
     * window again when a status changes that number.
     */
    private static StreamStage<WindowStats> withSilentSensors(StreamStage<WindowStats> latest,
                                                              StreamStage<SensorStatus> statuses, String stageName) {
        // Both streams are keyed by place into one processor: the windows and the statuses as one stream of Object.
        @SuppressWarnings("unchecked")
        StreamStage<Object> windows = (StreamStage<Object>) (StreamStage<?>) latest;
        return windows.merge(statuses)
                      .groupingKey(PlaceSilenceP::placeId)
                      .customTransform(stageName, PlaceSilenceP.supplier());
    }

    static WindowStats toWindowStats(KeyedWindowResult<String, StatsAccumulator> w) {
        StatsAccumulator.Result r = w.result().result();
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
}
