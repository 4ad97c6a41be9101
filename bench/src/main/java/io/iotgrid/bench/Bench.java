package io.iotgrid.bench;

import com.hazelcast.jet.Job;
import io.iotgrid.core.Durations;
import io.iotgrid.jobs.AggregationSettings;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the benchmarks share: reading options, the settings of a throughput run, stopping a job, and this process's
 * CPU time.
 */
final class Bench {

    /** The windows of the throughput benchmarks' jobs (and of their Kafka Streams peer): a minute of event time. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Their allowed lateness. */
    static final Duration LATENESS = Duration.ofSeconds(5);

    private Bench() {
    }

    /**
     * The aggregation settings of a throughput run over a finite input whose event times lie in the past:
     * {@link #WINDOW}s with {@link #LATENESS}, final results only, and no closing of quiet windows by the wall clock
     * (sentinel readings after the data close the last windows).
     */
    static AggregationSettings.Builder finalWindows() {
        return AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, WINDOW)
                .set(AggregationSettings.ALLOWED_LATENESS, LATENESS)
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ZERO)
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null);
    }

    /**
     * What a benchmark's {@code main} does with its arguments: reads them into {@code options}, a picocli
     * {@code @Command} whose {@code @Option} fields start at their defaults. {@code --help} prints the usage and
     * exits with status 0; an unknown option or a bad value prints one line naming it and exits with status 2.
     */
    static <T> T options(T options, String[] args) {
        CommandLine line = new CommandLine(options);
        try {
            parse(line, args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
        }
        if (CommandLine.printHelpIfRequested(line.getParseResult())) {
            System.exit(0);
        }
        return options;
    }

    /**
     * Reads {@code args} into {@code options}, as {@link #options} does; an unknown option fails with the list of
     * known ones, and every other error with a message that names the option.
     */
    static <T> T parse(T options, String... args) {
        parse(new CommandLine(options), args);
        return options;
    }

    private static void parse(CommandLine line, String[] args) {
        line.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            line.parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            throw new IllegalArgumentException("unknown option " + e.getUnmatched().get(0) + ": expected "
                    + line.getCommandSpec().options().stream()
                          .filter(o -> !o.usageHelp() && !o.versionHelp())
                          .map(OptionSpec::longestName)
                          .collect(Collectors.joining(", ")), e);
        } catch (MissingParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + ": options come in pairs --name value", e);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** {@code --help}, for every benchmark's options. */
    static final class Help {

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }

    /** How long each run warms up and then measures, for the benchmarks that run for a time. */
    static final class Timing {

        @Option(names = "--warmup", paramLabel = "D", converter = DurationConverter.class,
                description = "warm-up before measuring (default 10s)")
        Duration warmup = Duration.ofSeconds(10);

        @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
                description = "how long each run measures (default 30s)")
        Duration duration = Duration.ofSeconds(30);
    }

    /** Durations as everywhere in iot-grid: {@code 100ms}, {@code 10s}, {@code 2m}, {@code PT1H}. */
    static final class DurationConverter implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse("duration", value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Cancels {@code job} and waits (at most a minute) until it has stopped, so the member then shuts down with no
     * job operation still in flight.
     */
    static void cancel(Job job) throws InterruptedException {
        job.cancel();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!job.getStatus().isTerminal() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** A TCP port on the loopback interface that was free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** CPU time this process used so far, all threads, ns. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
