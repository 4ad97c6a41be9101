package io.iotgrid.kafka.broker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link KafkaBroker} runs, validated when built. Start from {@link #defaults()}.
 *
 * @param dataDir      directory of the broker's logs (the partitions), its {@code server.properties} and its log
 *                     file {@code broker.log}; {@code null} (default) for a new temporary directory, deleted by
 *                     {@link KafkaBroker#close()}. A given directory is kept, so a broker started on it again
 *                     finds its topics and records
 * @param port         loopback port of the client listener; 0 (default) for a free one picked at start. The
 *                     controller listener always takes a free port. Both stay the same across
 *                     {@link KafkaBroker#restart()}
 * @param maxHeap      the broker JVM's {@code -Xmx}, e.g. {@code 512m} (default) or {@code 1g}
 * @param startTimeout how long {@link KafkaBroker#start} waits for the broker to take requests; default 90 s
 */
public record KafkaBrokerSettings(Path dataDir, int port, String maxHeap, Duration startTimeout) {

    public KafkaBrokerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (maxHeap == null || !maxHeap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("maxHeap must be a JVM size such as 512m or 1g, was '" + maxHeap + "'");
        }
        if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        }
    }

    /** A temporary data directory, a free port, a 512 MiB heap and a 90-second start timeout. */
    public static KafkaBrokerSettings defaults() {
        return new KafkaBrokerSettings(null, 0, "512m", Duration.ofSeconds(90));
    }

    /** A copy that keeps the broker's data in {@code dir}. */
    public KafkaBrokerSettings withDataDir(Path dir) {
        return new KafkaBrokerSettings(dir, port, maxHeap, startTimeout);
    }

    /** A copy listening for clients on 127.0.0.1:{@code port}. */
    public KafkaBrokerSettings withPort(int port) {
        return new KafkaBrokerSettings(dataDir, port, maxHeap, startTimeout);
    }

    /** A copy whose broker JVM runs with {@code -Xmx<maxHeap>}. */
    public KafkaBrokerSettings withMaxHeap(String maxHeap) {
        return new KafkaBrokerSettings(dataDir, port, maxHeap, startTimeout);
    }

    /** A copy that waits {@code startTimeout} for the broker to start. */
    public KafkaBrokerSettings withStartTimeout(Duration startTimeout) {
        return new KafkaBrokerSettings(dataDir, port, maxHeap, startTimeout);
    }
}
