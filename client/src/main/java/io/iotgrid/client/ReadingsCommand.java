package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tails the readings Ringbuffer: the last {@code --last} readings, then, with {@code --follow}, each new one as it
 * is added. A reader that falls behind the buffer's capacity skips what was overwritten and says how much.
 */
@Command(name = "readings", description = "Print the latest parsed readings, and follow new ones with --follow.")
final class ReadingsCommand extends ClientCommand {

    /** How long one blocking read waits for new items before checking the deadline again. */
    private static final long POLL_MILLIS = 500;

    @Option(names = "--ringbuffer", paramLabel = "NAME",
            description = "Ringbuffer of readings; default: ${DEFAULT-VALUE}")
    String ringbuffer = GridNames.READINGS;

    @Option(names = {"-n", "--last"}, paramLabel = "N",
            description = "How many of the latest readings to print first; default: ${DEFAULT-VALUE}")
    int last = 10;

    @Option(names = {"-f", "--follow"}, description = "Keep printing readings as they arrive")
    boolean follow;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --follow: stop after this long (e.g. 30s); default: until interrupted")
    Duration duration;

    @Override
    void validate() {
        if (last < 0) {
            throw badOption("--last must be 0 or more, was " + last);
        }
    }

    @Override
    int run(HazelcastInstance client, PrintWriter out) throws InterruptedException, ExecutionException {
        Ringbuffer<SensorReading> rb = client.getRingbuffer(ringbuffer);
        long next = Math.max(rb.headSequence(), rb.tailSequence() + 1 - last);
        next = print(out, rb, next, rb.tailSequence() + 1 - next);
        if (follow) {
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (System.nanoTime() - deadline < 0) {
                next = print(out, rb, next, 1000);
            }
        }
        return 0;
    }

    /** Prints up to {@code max} readings from {@code from}, waiting up to {@link #POLL_MILLIS} for a first one. */
    private static long print(PrintWriter out, Ringbuffer<SensorReading> rb, long from, long max)
            throws InterruptedException, ExecutionException {
        if (max <= 0) {
            return from;
        }
        long head = rb.headSequence();
        if (from < head) {
            out.println("(skipped " + (head - from) + " readings overwritten before they were read)");
            from = head;
        }
        ReadResultSet<SensorReading> batch;
        try {
            batch = rb.readManyAsync(from, 1, (int) Math.min(max, 1000), null).toCompletableFuture()
                      .get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return from;
        }
        for (SensorReading r : batch) {
            out.println(format(r));
        }
        out.flush();
        return batch.getNextSequenceToReadFrom();
    }

    static String format(SensorReading r) {
        StringBuilder s = new StringBuilder()
                .append(Instant.ofEpochMilli(r.timestamp())).append("  ")
                .append(r.sensorId()).append("  ").append(r.placeId());
        for (Measure m : Measure.values()) {
            if (r.has(m)) {
                s.append("  ").append(m.key()).append('=').append(r.value(m));
            }
        }
        return s.toString();
    }
}
