package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.coap.CoapSecurityKeys;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.sources.CoapDiscovery;
import io.iotgrid.sources.CoapObserveSettings;

/**
 * What {@link CoapAggregationSubmit} submits: the keys of {@link CoapObserveSettings#GROUP} ({@code coap.*}, with
 * those of {@link CoapDiscovery#GROUP} and {@link CoapSecurityKeys#GROUP}) for the source, of
 * {@link AggregationSettings#GROUP} for the aggregation and of {@link #JOB} ({@code job.*}) for the job; each
 * default is its definition's (the README's "Run on your own cluster" lists them). Key files are read here, on the
 * machine that reads the parameters (where {@code hz-cli} runs); their content travels with the job, so the members
 * need none.
 *
 * @param coap     the CoAP resources, how to observe them and the DTLS credentials
 * @param settings the aggregation job's settings
 * @param job      the job's name, processing guarantee and snapshot interval
 */
public record CoapAggregationParameters(CoapObserveSettings coap, AggregationSettings settings, JobSettings job) {

    /** The {@code job.*} keys of this jar, the CoAP flavour's: {@link AggregationJob#COAP_JOB}. */
    public static final SettingGroup JOB = AggregationJob.COAP_JOB;

    /**
     * Reads and checks the parameters, reading the key files of the DTLS credentials.
     *
     * @throws IllegalArgumentException naming the key and the value of a bad one, or every unknown key with the list
     *                                  of known ones
     */
    public static CoapAggregationParameters of(SettingsReader args) {
        args.rejectUnknown(CoapObserveSettings.GROUP, AggregationSettings.GROUP, JOB);
        return new CoapAggregationParameters(CoapObserveSettings.builder().read(args).build(),
                AggregationSettings.builder().read(args).build(), JobSettings.builder(JOB).read(args).build());
    }

    /** The job's configuration: name, processing guarantee and snapshot interval. */
    public JobConfig jobConfig() {
        return job.jobConfig();
    }
}
