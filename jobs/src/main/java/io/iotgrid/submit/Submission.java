package io.iotgrid.submit;

import com.hazelcast.jet.Job;
import io.iotgrid.core.settings.SettingsReader;

import java.util.function.Function;

/** What the job jars' mains share: reading their parameters and telling what they submitted. */
final class Submission {

    private Submission() {
    }

    /**
     * The parameters, or exit status 2 with the error and the usage on stderr: a job jar's main runs in
     * {@code hz-cli}'s own JVM, so exiting stops only the command, before anything reaches the cluster.
     */
    static <T> T parse(String[] args, Function<SettingsReader, T> parser, String usage) {
        try {
            return parser.apply(SettingsReader.arguments(args));
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: " + usage);
            System.exit(2);
            throw e;
        }
    }

    static void printSubmitted(Job job) {
        System.out.println("iot-grid: submitted job '" + job.getName() + "' (" + job.getIdString() + ')');
    }
}
