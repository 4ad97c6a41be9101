package io.iotgrid.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/** What the benchmarks' mains share: reading options, and this process's CPU time. */
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

    /** CPU time this process used so far, all threads, ns. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
