package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.ReliableMessageListener;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.ThresholdAlert;
import com.hazelcast.topic.Message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows the alerts ReliableTopic: prints each alert published after it subscribed (or, with {@code --from-start},
 * those still in the topic's ringbuffer first) until {@code --count} alerts, {@code --duration} or Ctrl-C.
 */
@Command(name = "alerts", description = "Follow threshold alerts as the job publishes them.")
final class AlertsCommand extends ClientCommand {

    @Option(names = "--topic", paramLabel = "NAME", description = "ReliableTopic of alerts; default: ${DEFAULT-VALUE}")
    String topic = GridNames.ALERTS;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N alerts; default: no limit")
    Integer count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 1m); default: until interrupted")
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
        CountDownLatch done = new CountDownLatch(count == null ? Integer.MAX_VALUE : count);
        ITopic<ThresholdAlert> alerts = client.getReliableTopic(topic);
        UUID registration = alerts.addMessageListener(new Listener(out, done, fromStart));
        try {
            if (duration == null) {
                done.await();
            } else {
                done.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            alerts.removeMessageListener(registration);
        }
        return 0;
    }

    static String format(ThresholdAlert a) {
        return Instant.ofEpochMilli(a.timestamp()) + "  " + a.sensorId() + "  " + a.placeId() + "  "
                + a.measure() + '=' + a.value() + "  broke " + a.rule();
    }

    /** Prints on the client's listener thread; a ReliableMessageListener so it can start at the oldest alert. */
    private record Listener(PrintWriter out, CountDownLatch done, boolean fromStart)
            implements ReliableMessageListener<ThresholdAlert> {

        @Override
        public void onMessage(Message<ThresholdAlert> message) {
            if (done.getCount() > 0) {
                synchronized (out) {
                    out.println(format(message.getMessageObject()));
                    out.flush();
                }
                done.countDown();
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
