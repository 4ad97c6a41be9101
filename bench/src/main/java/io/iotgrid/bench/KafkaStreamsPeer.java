package io.iotgrid.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The Kafka side of {@link KafkaStreamsBenchmark}, in a JVM of its own whose classpath has Kafka Streams and
 * kafka-clients of the broker's version (copied by the build into {@code bench/target/kafka-streams-peer/}) instead of
 * the 3.6.1 clients Hazelcast's Kafka connector needs: {@link #classpath()}. It never loads a Hazelcast class.
 * <p>
 * It speaks {@link ChildJvm}'s line protocol: {@code READY <kafka version>} once set up, then on {@code START} it
 * starts, on {@code STOP} it answers {@code DROPPED <n>} and stops; it exits at the end of its stdin. Two modes:
 * <ul>
 * <li>{@code streams}: {@link KafkaStreamsAggregation}, tuned as issue 18 asks ({@code --threads} stream threads,
 *     {@code --commit} interval, 8 MiB partition fetches, 2 000 records a poll, a 64 MiB record cache); a failure
 *     says {@code FAILED <reason>}.</li>
 * <li>{@code consume}: Kafka's own consumer ceiling: a plain consumer (byte arrays, no deserialization beyond that,
 *     the same fetch sizes) reads every record of the input topic from the beginning up to the end offsets taken at
 *     {@code START}, then says {@code CONSUMED <records> <bytes>}.</li>
 * </ul>
 */
final class KafkaStreamsPeer {

    /** Where the build copies Kafka Streams and kafka-clients of the broker's version, under {@code bench/target}. */
    static final String JARS = "kafka-streams-peer";
    /** The rest of the peer's classpath, as the build wrote it beside {@link #JARS}. */
    static final String CLASSPATH_FILE = "kafka-streams-peer.classpath";

    private static final int PARTITION_FETCH_BYTES = 8 << 20;
    private static final int POLL_RECORDS = 2_000;
    private static final long CACHE_BYTES = 64L << 20;

    private KafkaStreamsPeer() {
    }

    /** The command line a {@link KafkaStreamsBenchmark} gives the peer. */
    @Command(name = "KafkaStreamsPeer")
    static final class Arguments {

        @Option(names = "--mode", required = true, description = "streams or consume")
        String mode;

        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Option(names = "--input", required = true)
        String input;

        @Option(names = "--output")
        String output;

        @Option(names = "--guarantee", description = "Kafka Streams' processing.guarantee")
        String guarantee = StreamsConfig.AT_LEAST_ONCE;

        @Option(names = "--threads")
        int threads = 2;

        @Option(names = "--commit-ms")
        long commitMillis = 1_000;

        @Option(names = "--state-dir")
        Path stateDir;

        @Option(names = "--window-ms")
        long windowMillis;

        @Option(names = "--grace-ms")
        long graceMillis;
    }

    public static void main(String[] args) throws Exception {
        Arguments a = new Arguments();
        new CommandLine(a).parseArgs(args);
        ChildJvm.runChild(() -> {
            switch (a.mode) {
                case "streams" -> streams(a);
                case "consume" -> consume(a);
                default -> throw new IllegalArgumentException("--mode must be streams or consume, was " + a.mode);
            }
        });
    }

    /**
     * The classpath of the peer's JVM, from the build's output beside this class's jar or classes directory: this
     * module's classes, the copied Kafka jars, then {@link #CLASSPATH_FILE}.
     *
     * @throws IllegalStateException if the build has not written them (run {@code mvn package -pl bench -am})
     */
    static String classpath() {
        try {
            Path own = Path.of(KafkaStreamsPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = own.getParent();
            Path jars = target.resolve(JARS);
            Path rest = target.resolve(CLASSPATH_FILE);
            if (!Files.isDirectory(jars) || !Files.isRegularFile(rest)) {
                throw new IllegalStateException("the Kafka Streams peer's classpath is not built: " + jars + " and "
                        + rest + " come from 'mvn package -pl bench -am'");
            }
            List<String> entries = new ArrayList<>();
            entries.add(own.toString());
            try (Stream<Path> files = Files.list(jars)) {
                files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> entries.add(f.toString()));
            }
            entries.add(Files.readString(rest).strip());
            return String.join(java.io.File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void streams(Arguments a) throws IOException {
        Properties p = new Properties();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + UUID.randomUUID());
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, a.bootstrap);
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, a.stateDir.toString());
        p.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(a.threads));
        p.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, a.guarantee);
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(a.commitMillis));
        p.setProperty(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(CACHE_BYTES));
        p.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                Integer.toString(PARTITION_FETCH_BYTES));
        p.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                Integer.toString(POLL_RECORDS));
        p.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Otherwise onWindowClose checks for closed windows at most once a second of wall time, and only when a
        // record arrives: the last windows of a finite input would never come out.
        p.setProperty("__emit.interval.ms.kstreams.windowed.aggregation__", "0");
        KafkaStreams streams = new KafkaStreams(KafkaStreamsAggregation.topology(a.input, a.output,
                Duration.ofMillis(a.windowMillis), Duration.ofMillis(a.graceMillis)), p);
        streams.setUncaughtExceptionHandler(e -> {
            ChildJvm.tell("FAILED " + e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        ChildJvm.tell("READY " + AppInfoParser.getVersion());
        try {
            ChildJvm.serveCommands(command -> {
                switch (command) {
                    case "START" -> streams.start();
                    case "STOP" -> ChildJvm.tell("DROPPED " + dropped(streams));
                    default -> ChildJvm.tell("FAILED unknown command " + command);
                }
            });
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    /** The tasks' {@code dropped-records-total}: late records (beyond the grace) and records it skipped. */
    private static long dropped(KafkaStreams streams) {
        long dropped = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().name().equals("dropped-records-total") && e.getValue().metricValue() instanceof Number n) {
                dropped += n.longValue();
            }
        }
        return dropped;
    }

    private static void consume(Arguments a) throws IOException {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.bootstrap);
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(PARTITION_FETCH_BYTES));
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(POLL_RECORDS));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(a.input).stream()
                    .map(info -> new TopicPartition(a.input, info.partition())).toList();
            consumer.assign(partitions);
            ChildJvm.tell("READY " + AppInfoParser.getVersion());
            ChildJvm.serveCommands(command -> {
                switch (command) {
                    case "START" -> readAll(consumer, partitions);
                    case "STOP" -> ChildJvm.tell("DROPPED 0");
                    default -> ChildJvm.tell("FAILED unknown command " + command);
                }
            });
        }
    }

    /** Reads every partition from its beginning to its end offset as of now; says how much it read. */
    private static void readAll(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long records = 0;
        long bytes = 0;
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                records++;
                bytes += r.serializedValueSize() + Math.max(0, r.serializedKeySize());
            }
        }
        ChildJvm.tell("CONSUMED " + records + " " + bytes);
    }
}
