package io.iotgrid.submit;

import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.jobs.JobSerializers;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/** What the job jars' mains share: reading their parameters and telling what they submitted. */
final class Submission {

    private Submission() {
    }

    /**
     * The parameters, or exit status 2 with the error and the usage on stderr: a job jar's main runs in
     * {@code hz-cli}'s own JVM, so exiting stops only the command, before anything reaches the cluster.
     */
    static <T> T parse(String[] args, Function<JobArguments, T> parser, String usage) {
        return orExit(() -> parser.apply(JobArguments.parse(args)), usage);
    }

    /** {@link #parse}, for parameters read with a {@link SettingsReader}. */
    static <T> T read(String[] args, Function<SettingsReader, T> parser, String usage) {
        return orExit(() -> parser.apply(SettingsReader.arguments(args)), usage);
    }

    private static <T> T orExit(Supplier<T> parse, String usage) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: " + usage);
            System.exit(2);
            throw e;
        }
    }

    /**
     * The job's configuration, with iot-grid's job-level serializers: they let several iot-grid jobs, or the same jar
     * submitted again, share the members (see {@link JobSerializers}).
     */
    static JobConfig jobConfig(String name, ProcessingGuarantee guarantee, Duration snapshotInterval) {
        return JobSerializers.register(new JobConfig().setName(name)
                                                      .setProcessingGuarantee(guarantee)
                                                      .setSnapshotIntervalMillis(snapshotInterval.toMillis()));
    }

    static void printSubmitted(Job job) {
        System.out.println("iot-grid: submitted job '" + job.getName() + "' (" + job.getIdString() + ')');
    }
}
