package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.sources.CoapObserveSettings;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What {@link CoapAggregationSubmit} submits, read from {@link JobArguments}: the keys are those of
 * {@link AggregationSettings} and {@link CoapObserveSettings}, with the same defaults, plus the job's own.
 * <pre>
 * coapUris            required, comma-separated coap:// resources to observe
 * coapConfirmable     true: CON observe requests (false: NON)
 * coapQueueCapacity   10000 notifications waiting for the job
 * format              nested (or flat): where payloads keep each field
 * windowSize          1m          allowedLateness     5s
 * earlyResultsPeriod  5s (0s: final results only)
 * quietCloseAfter     30s (none: pure event time)
 * alertRules          none, e.g. temperature&gt;30,humidity&lt;15
 * sensorStatsMap sensor_stats, placeStatsMap place_stats, readingsRingbuffer sensor_readings,
 * alertsTopic sensor_alerts, deadLettersMap dead_letters
 * jobName             iot-grid-coap-aggregation
 * processingGuarantee AT_LEAST_ONCE (NONE, EXACTLY_ONCE)
 * snapshotInterval    10s
 * </pre>
 *
 * @param coap              the CoAP resources and how to observe them
 * @param settings          the aggregation job's settings
 * @param jobName           the job's name: a cluster runs one job of a name at a time
 * @param guarantee         the job's processing guarantee
 * @param snapshotInterval  how often a snapshot is taken, when the guarantee is not NONE
 */
public record CoapAggregationParameters(CoapObserveSettings coap, AggregationSettings settings, String jobName,
                                        ProcessingGuarantee guarantee, Duration snapshotInterval) {

    public static final String DEFAULT_JOB_NAME = "iot-grid-coap-aggregation";

    static final Set<String> KEYS = Set.of("coapUris", "coapConfirmable", "coapQueueCapacity", "format",
            "windowSize", "allowedLateness", "earlyResultsPeriod", "quietCloseAfter", "alertRules",
            "sensorStatsMap", "placeStatsMap", "readingsRingbuffer", "alertsTopic", "deadLettersMap", "jobName",
            "processingGuarantee", "snapshotInterval");

    public CoapAggregationParameters {
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException("jobName must not be blank, was '" + jobName + "'");
        }
        if (snapshotInterval == null || snapshotInterval.toMillis() < 1) {
            throw new IllegalArgumentException("snapshotInterval must be at least 1 ms, was " + snapshotInterval);
        }
    }

    /** Reads and validates the parameters; a bad or unknown key fails with a message that names it. */
    public static CoapAggregationParameters of(JobArguments args) {
        args.rejectUnknown(KEYS);
        List<String> uris = args.list("coapUris");
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("coapUris is required: the coap:// resources to observe, "
                    + "comma-separated");
        }
        CoapObserveSettings resources = JobArguments.keyed("coapUris",
                () -> CoapObserveSettings.of(uris.toArray(String[]::new)))
                .withConfirmable(args.bool("coapConfirmable", true));
        int queueCapacity = args.integer("coapQueueCapacity", CoapObserveSettings.DEFAULT_QUEUE_CAPACITY);
        CoapObserveSettings coap = JobArguments.keyed("coapQueueCapacity",
                () -> resources.withQueueCapacity(queueCapacity));
        AggregationSettings d = AggregationSettings.defaults();
        String format = args.string("format", null);
        AggregationSettings settings = new AggregationSettings(
                format == null ? d.format() : JobArguments.keyed("format", () -> ReadingFormat.named(format)),
                args.duration("windowSize", d.windowSize()),
                args.duration("allowedLateness", d.allowedLateness()),
                args.duration("earlyResultsPeriod", d.earlyResultsPeriod()),
                args.durationOrNone("quietCloseAfter", d.quietCloseAfter()),
                JobArguments.keyed("alertRules", () -> args.list("alertRules").stream().map(AlertRule::parse).toList()),
                args.string("sensorStatsMap", d.sensorStatsMap()),
                args.string("placeStatsMap", d.placeStatsMap()),
                args.string("readingsRingbuffer", d.readingsRingbuffer()),
                args.string("alertsTopic", d.alertsTopic()),
                args.string("deadLettersMap", d.deadLettersMap()));
        return new CoapAggregationParameters(coap, settings, args.string("jobName", DEFAULT_JOB_NAME),
                args.guarantee("processingGuarantee", ProcessingGuarantee.AT_LEAST_ONCE),
                args.duration("snapshotInterval", Duration.ofSeconds(10)));
    }

    /** The job's configuration: name, processing guarantee and snapshot interval. */
    public JobConfig jobConfig() {
        return Submission.jobConfig(jobName, guarantee, snapshotInterval);
    }
}
