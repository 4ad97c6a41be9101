package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.ReliableMessageListener;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.Measure;
import io.iotgrid.core.ThresholdAlert;
import com.hazelcast.topic.Message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Follows the alerts ReliableTopic: prints each alert published after it subscribed (or, with {@code --from-start},
 * those still in the topic's ringbuffer first) until {@code --count} alerts, {@code --duration} or Ctrl-C.
 */
@Command(name = "alerts", description = "Follow alerts (thresholds, sensor status changes, anomalies) as the job "
        + "publishes them.")
final class AlertsCommand extends ClientCommand {

    @Option(names = "--topic", paramLabel = "NAME", description = "ReliableTopic of alerts; default: ${DEFAULT-VALUE}")
    String topic = GridNames.ALERTS;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N alerts; default: no limit")
    Integer count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 1m); default: until Ctrl-C")
    Duration duration;

    @Option(names = "--from-start", description = "Begin with the alerts the topic still holds, not only new ones")
    boolean fromStart;

    @Override
    void validate() {
        if (count != null && count < 1) {
            throw badOption("--count must be 1 or more, was " + count);
        }
    }

    @Override
    int run(HazelcastInstance client, PrintWriter out) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(count == null ? Integer.MAX_VALUE : count);
        ITopic<ThresholdAlert> alerts = client.getReliableTopic(topic);
        Output output = output();
        Function<ThresholdAlert, String> line = json ? a -> Output.json(fields(a)) : a -> format(a, output);
        UUID registration = alerts.addMessageListener(new Listener(out, line, left, end, fromStart));
        try {
            if (duration == null) {
                end.await();
            } else {
                end.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            alerts.removeMessageListener(registration);
        }
        return 0;
    }

    /**
     * {@code time  sensor  place} and what happened, by kind: {@code measure=value  broke rule} (the value rounded to
     * its measure's decimals), {@code ONLINE->SILENT after 31.5 s without a reading}, or
     * {@code measure=value  anomaly stuck: ...}.
     */
    static String format(ThresholdAlert a, Output output) {
        String head = output.time(a.timestamp()) + "  " + a.sensorId() + "  " + a.placeId() + "  ";
        return head + switch (a.kind()) {
            case THRESHOLD -> a.measure() + '=' + Measure.ofKey(a.measure()).format(a.value()) + "  broke " + a.rule();
            case STATUS -> a.rule() + " after " + String.format(Locale.ROOT, "%.1f", a.value())
                    + " s without a reading";
            case ANOMALY -> a.measure() + '=' + Measure.ofKey(a.measure()).format(a.value()) + "  anomaly "
                    + a.rule();
        };
    }

    /** The JSON fields of an alert, named as those of a reading where they are the same. */
    static Map<String, Object> fields(ThresholdAlert a) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("timestamp", a.timestamp());
        f.put("sensor_id", a.sensorId());
        f.put("place_id", a.placeId());
        f.put("measure", a.measure());
        f.put("value", a.value());
        f.put("rule", a.rule());
        f.put("kind", a.kind().name());
        return f;
    }

    /** Prints on the client's listener thread; a ReliableMessageListener so it can start at the oldest alert. */
    private record Listener(PrintWriter out, Function<ThresholdAlert, String> line, AtomicInteger left,
                            CountDownLatch end, boolean fromStart)
            implements ReliableMessageListener<ThresholdAlert> {

        @Override
        public void onMessage(Message<ThresholdAlert> message) {
            if (left.get() > 0) {
                synchronized (out) {
                    out.println(line.apply(message.getMessageObject()));
                    out.flush();
                }
                if (left.decrementAndGet() == 0) {
                    end.countDown();
                }
            }
        }

        @Override
        public long retrieveInitialSequence() {
            // 0 is older than any item still held: the topic starts at its oldest one; -1 means only new ones.
            return fromStart ? 0 : -1;
        }

        @Override
        public void storeSequence(long sequence) {
            // Nothing to remember: each run of the command is a new subscriber.
        }

        @Override
        public boolean isLossTolerant() {
            // A slow terminal must not end the subscription when old alerts are overwritten.
            return true;
        }

        @Override
        public boolean isTerminal(Throwable failure) {
            return false;
        }
    }
}
