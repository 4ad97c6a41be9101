package io.iotgrid.bench;

import com.hazelcast.jet.Job;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the benchmarks share: reading options, stopping a job, and this process's CPU time. */
final class Bench {

    private Bench() {
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
