package io.iotgrid.bench;

import com.hazelcast.jet.Job;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the benchmarks share: reading options, stopping a job, and this process's CPU time. */
final class Bench {

    private Bench() {
    }

    /** {@code --name value} pairs as given, unchecked; fails when a name has no value. */
    static Map<String, String> pairs(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs --name value, got " + Arrays.toString(args));
        }
        Map<String, String> pairs = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            pairs.put(args[i], args[i + 1]);
        }
        return pairs;
    }

    /**
     * A benchmark's command-line options: {@code --name value} pairs, each name one of those the benchmark knows.
     * Every getter takes the default to use when the option is not given.
     */
    record Options(Map<String, String> values) {

        /** Reads {@code args}; an unknown name fails with the list of known ones. */
        static Options parse(String[] args, String... known) {
            Map<String, String> values = pairs(args);
            for (String name : values.keySet()) {
                if (!List.of(known).contains(name)) {
                    throw new IllegalArgumentException("unknown option " + name + ": expected "
                            + String.join(", ", known));
                }
            }
            return new Options(values);
        }

        String string(String name, String otherwise) {
            return values.getOrDefault(name, otherwise);
        }

        int integer(String name, int otherwise) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
        }

        long longInteger(String name, long otherwise) {
            return values.containsKey(name) ? Long.parseLong(values.get(name)) : otherwise;
        }

        double decimal(String name, double otherwise) {
            return values.containsKey(name) ? Double.parseDouble(values.get(name)) : otherwise;
        }

        Duration duration(String name, Duration otherwise) {
            return values.containsKey(name) ? Bench.duration(values.get(name)) : otherwise;
        }

        /** A comma-separated list of integers, e.g. {@code 10000,50000}. */
        int[] integers(String name, int... otherwise) {
            return values.containsKey(name)
                    ? Arrays.stream(values.get(name).split(",")).mapToInt(Integer::parseInt).toArray()
                    : otherwise;
        }
    }

    /** A duration option such as {@code 100ms}, {@code 10s}, {@code 2m}. */
    static Duration duration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        return Duration.parse("PT" + v);
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

    /** CPU time this process used so far, all threads, ns. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
