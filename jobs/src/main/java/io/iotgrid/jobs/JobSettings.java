package io.iotgrid.jobs;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;

/**
 * How a job runs in the cluster: its name, processing guarantee and snapshot interval, the {@code job.*} keys
 * every job jar takes. Each kind of job has its own {@link #group} with its own default name and guarantee.
 */
public final class JobSettings extends Settings {

    private static final long serialVersionUID = 1L;

    public static final Setting<String> JOB_NAME = Setting.string("job.name", null,
            "the job's name: a cluster runs one job of a name at a time");
    public static final Setting<ProcessingGuarantee> GUARANTEE = Setting.enumeration("job.processing.guarantee",
            ProcessingGuarantee.class, ProcessingGuarantee.AT_LEAST_ONCE,
            "`exactly_once`, `at_least_once` or `none`: see \"Delivery guarantees\"");
    public static final Setting<Duration> SNAPSHOT_INTERVAL = Setting.duration("job.snapshot.interval",
            Duration.ofSeconds(10), "how often a snapshot is taken, unless the guarantee is `none`")
            .require(d -> d.toMillis() >= 1, "at least 1ms");

    private JobSettings(Builder builder) {
        super(builder);
    }

    /** The {@code job.*} settings of one kind of job, with its default name and guarantee. */
    public static SettingGroup group(String name, String defaultJobName, ProcessingGuarantee defaultGuarantee) {
        return group(name, defaultJobName, defaultGuarantee, SNAPSHOT_INTERVAL.defaultValue());
    }

    /** The {@code job.*} settings of one kind of job, with its default name, guarantee and snapshot interval. */
    public static SettingGroup group(String name, String defaultJobName, ProcessingGuarantee defaultGuarantee,
                                     Duration defaultSnapshotInterval) {
        SettingGroup group = new SettingGroup(name);
        group.add(JOB_NAME.withDefault(defaultJobName));
        group.add(GUARANTEE.withDefault(defaultGuarantee));
        group.add(SNAPSHOT_INTERVAL.withDefault(defaultSnapshotInterval));
        return group;
    }

    /** A builder with the defaults of {@code group}, one made by {@link #group}. */
    public static Builder builder(SettingGroup group) {
        return new Builder(group);
    }

    /** {@link #JOB_NAME}. */
    public String jobName() {
        return get(JOB_NAME);
    }

    /** {@link #GUARANTEE}. */
    public ProcessingGuarantee guarantee() {
        return get(GUARANTEE);
    }

    /** {@link #SNAPSHOT_INTERVAL}. */
    public Duration snapshotInterval() {
        return get(SNAPSHOT_INTERVAL);
    }

    /** The job's configuration: name, guarantee and snapshot interval, with the {@link JobSerializers} registered. */
    public JobConfig jobConfig() {
        return JobSerializers.register(new JobConfig().setName(jobName()).setProcessingGuarantee(guarantee())
                                                      .setSnapshotIntervalMillis(snapshotInterval().toMillis()));
    }

    /** Builds {@link JobSettings}. */
    public static final class Builder extends SettingsBuilder<JobSettings, Builder> {

        private Builder(SettingGroup group) {
            super(group);
        }

        @Override
        protected JobSettings create() {
            return new JobSettings(this);
        }
    }
}
