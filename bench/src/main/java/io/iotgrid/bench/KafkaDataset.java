package io.iotgrid.bench;

import java.util.BitSet;

/**
 * The first {@code readings} of {@link BenchReadings} laid out on its Kafka partitions, as {@link KafkaStreamsBenchmark}
 * fills its topic: partition {@code p} holds its readings {@code 0} to {@code count(p) - 1}, then one sentinel
 * stamped {@link #sentinelTimestamp()}, far enough after the last window's end plus the lateness to close every
 * window of the data set in both systems. The windows from {@link #lastWindowEnd()} on (the sentinels') are left
 * out of every check.
 *
 * @param readings   the bench readings
 * @param total      number of readings over all partitions, without the sentinels
 * @param windowMillis length of the tumbling windows, aligned to the epoch as in Jet and Kafka Streams
 */
record KafkaDataset(BenchReadings readings, long total, long windowMillis) {

    /** How far after the last window's end the sentinels are stamped: far beyond any allowed lateness. */
    private static final long SENTINEL_GAP_MILLIS = 10 * 60_000;

    KafkaDataset {
        if (total < readings.partitions()) {
            throw new IllegalArgumentException("readings (" + total + ") must be at least the number of partitions ("
                    + readings.partitions() + ")");
        }
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("windowMillis must be positive, was " + windowMillis);
        }
    }

    /** Readings of partition {@code partition}: the total spread evenly, the first partitions taking the rest. */
    long count(int partition) {
        int partitions = readings.partitions();
        return total / partitions + (partition < total % partitions ? 1 : 0);
    }

    /** Start of the window of the earliest reading. */
    long firstWindowStart() {
        return Math.floorDiv(readings.timestampOf(0), windowMillis) * windowMillis;
    }

    /** End of the window of the latest reading (partition 0 has the most). */
    long lastWindowEnd() {
        return Math.floorDiv(readings.timestampOf(count(0) - 1), windowMillis) * windowMillis + windowMillis;
    }

    /** Number of windows from {@link #firstWindowStart()} to {@link #lastWindowEnd()}. */
    int windowCount() {
        return (int) ((lastWindowEnd() - firstWindowStart()) / windowMillis);
    }

    /** Event time of every partition's sentinel. */
    long sentinelTimestamp() {
        return lastWindowEnd() + SENTINEL_GAP_MILLIS;
    }

    /** The sentinel of {@code partition} as JSON: the partition's next sensor, stamped {@link #sentinelTimestamp()}. */
    byte[] sentinelJson(int partition) {
        long n = count(partition);
        int sensor = readings.sensorOf(partition, n);
        return BenchReadings.json(BenchReadings.sensorId(sensor), readings.placeId(sensor), sentinelTimestamp(),
                BenchReadings.temperature(sensor, n), BenchReadings.humidity(sensor, n),
                BenchReadings.pressure(sensor, n), BenchReadings.luminosity(sensor, n));
    }

    /**
     * The checksums both systems must produce, computed from the readings' values alone (no JSON, no engine), with
     * the number of distinct (sensor, window) pairs, the final windows to wait for.
     */
    WindowChecksums expected() {
        WindowChecksums sums = new WindowChecksums();
        int windows = windowCount();
        BitSet seen = new BitSet(windows * readings.sensors());
        double[] values = new double[WindowChecksums.MEASURES];
        long first = firstWindowStart();
        for (int p = 0; p < readings.partitions(); p++) {
            long count = count(p);
            for (long n = 0; n < count; n++) {
                int sensor = readings.sensorOf(p, n);
                long start = Math.floorDiv(readings.timestampOf(n), windowMillis) * windowMillis;
                int window = (int) ((start - first) / windowMillis);
                int key = window * readings.sensors() + sensor;
                boolean newWindow = !seen.get(key);
                seen.set(key);
                values[0] = BenchReadings.temperature(sensor, n);
                values[1] = BenchReadings.humidity(sensor, n);
                values[2] = BenchReadings.pressure(sensor, n);
                values[3] = BenchReadings.luminosity(sensor, n);
                sums.addReading(start, newWindow, values);
            }
        }
        return sums;
    }
}
