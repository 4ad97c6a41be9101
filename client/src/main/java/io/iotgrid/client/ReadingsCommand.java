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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tails the readings Ringbuffer: the last {@code --last} readings, then, with {@code --follow}, each new one as it
 * is added, until {@code --duration} or Ctrl-C. A reader that falls behind the buffer's capacity skips what was
 * overwritten and says how much on stderr.
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
            description = "With --follow: stop after this long (e.g. 30s); default: until Ctrl-C")
    Duration duration;

    @Override
    void validate() {
        if (last < 0) {
            throw badOption("--last must be 0 or more, was " + last);
        }
        if (duration != null && !follow) {
            throw badOption("--duration needs --follow: without it the command ends after the latest readings");
        }
    }

    @Override
    int run(HazelcastInstance client, PrintWriter out) throws InterruptedException, ExecutionException {
        Ringbuffer<SensorReading> rb = client.getRingbuffer(ringbuffer);
        Output output = output();
        long next = Math.max(rb.headSequence(), rb.tailSequence() + 1 - last);
        next = print(out, output, rb, next, rb.tailSequence() + 1 - next);
        if (follow) {
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (System.nanoTime() - deadline < 0 && end.getCount() > 0) {
                next = print(out, output, rb, next, 1000);
            }
        }
        return 0;
    }

    /** Prints up to {@code max} readings from {@code from}, waiting up to {@link #POLL_MILLIS} for a first one. */
    private long print(PrintWriter out, Output output, Ringbuffer<SensorReading> rb, long from, long max)
            throws InterruptedException, ExecutionException {
        if (max <= 0) {
            return from;
        }
        long head = rb.headSequence();
        if (from < head) {
            // On stderr, so --json output stays JSON.
            err().println("(skipped " + (head - from) + " readings overwritten before they were read)");
            err().flush();
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
            out.println(json ? Output.json(fields(r)) : format(r, output));
        }
        out.flush();
        return batch.getNextSequenceToReadFrom();
    }

    /** {@code time  sensor  place  measure=value...}, the measures the reading carries, rounded to their decimals. */
    static String format(SensorReading r, Output output) {
        StringBuilder s = new StringBuilder()
                .append(output.time(r.timestamp())).append("  ")
                .append(r.sensorId()).append("  ").append(r.placeId());
        for (Measure m : Measure.values()) {
            if (r.has(m)) {
                s.append("  ").append(m.key()).append('=').append(m.format(r.value(m)));
            }
        }
        return s.toString();
    }

    /** The JSON fields of a reading: {@code timestamp} (epoch ms), {@code sensor_id}, {@code place_id}, measures. */
    static Map<String, Object> fields(SensorReading r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("timestamp", r.timestamp());
        f.put("sensor_id", r.sensorId());
        f.put("place_id", r.placeId());
        for (Measure m : Measure.values()) {
            if (r.has(m)) {
                f.put(m.key(), r.value(m));
            }
        }
        return f;
    }
}
