package io.iotgrid.jobs;

import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.WindowStats;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A known set of readings for the Kafka ITs, all in one 10-second event-time window, with the aggregates computed
 * from it independently of the job; and the producer and read-committed consumer the ITs use.
 * <p>
 * Measures are whole numbers, so sums and averages are exact in any order of addition. The allowed lateness equals the
 * window, so no reading of the set can be late whatever the order across partitions. The window closes when
 * {@link #closers} (sensor and place {@value #CLOSER}) move event time two windows past it.
 */
final class KafkaReadings {

    /** Start of the window: a multiple of {@link #WINDOW} since the epoch. */
    static final long T = 1_700_000_000_000L;
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final String CLOSER = "zz-closer";

    final int sensors;
    final int places;
    final int perSensor;

    KafkaReadings(int sensors, int places, int perSensor) {
        this.sensors = sensors;
        this.places = places;
        this.perSensor = perSensor;
    }

    /** Settings that never close the window by wall clock and write only final results to the maps. */
    static AggregationSettings settings() {
        return AggregationSettings.builder()
                .set(AggregationSettings.WINDOW_SIZE, WINDOW)
                .set(AggregationSettings.ALLOWED_LATENESS, WINDOW)
                .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofMillis(500))
                .set(AggregationSettings.QUIET_CLOSE_AFTER, null).build();
    }

    static KafkaJobSettings kafka(String bootstrap, String topic) {
        return KafkaJobSettings.of(bootstrap, topic).toBuilder()
                .set(JobSettings.GUARANTEE, ProcessingGuarantee.EXACTLY_ONCE)
                .set(JobSettings.SNAPSHOT_INTERVAL, Duration.ofMillis(500))
                .build();
    }

    int total() {
        return sensors * perSensor;
    }

    String sensor(int i) {
        return "s-" + i;
    }

    String place(int i) {
        return "p-" + i % places;
    }

    /** Reading {@code j} of sensor {@code i}, in the nested JSON format. */
    String json(int i, int j) {
        long ts = T + (j * 197L + i * 13L) % WINDOW.toMillis();
        return "{\"id\":\"" + sensor(i) + "\",\"place_id\":\"" + place(i) + "\",\"timestamp\":" + ts
                + ",\"payload\":{\"temperature\":" + temperature(i, j) + ",\"humidity\":" + humidity(i, j) + "}}";
    }

    static int temperature(int i, int j) {
        return (i * 7 + j * 3) % 41 - 5;
    }

    static int humidity(int i, int j) {
        return (i + j * 5) % 60 + 20;
    }

    /** Readings {@code from} (inclusive) to {@code to} (exclusive) of every sensor, keyed by sensor id. */
    List<ProducerRecord<String, byte[]>> records(String topic, int from, int to) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int j = from; j < to; j++) {
            for (int i = 0; i < sensors; i++) {
                records.add(new ProducerRecord<>(topic, sensor(i), json(i, j).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return records;
    }

    /**
     * Readings {@code 3 * wave} windows later on every partition, several per partition so each parallel path of the
     * job sees one: wave 1 moves event time past the readings' window, which closes; wave 2 closes wave 1's window,
     * whose result then marks that every earlier result was written.
     */
    static List<ProducerRecord<String, byte[]>> closers(String topic, int partitions, int wave) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        long ts = T + 3L * wave * WINDOW.toMillis();
        String json = "{\"id\":\"" + CLOSER + "\",\"place_id\":\"" + CLOSER + "\",\"timestamp\":" + ts
                + ",\"payload\":{\"temperature\":0}}";
        for (int partition = 0; partition < partitions; partition++) {
            for (int k = 0; k < 16; k++) {
                records.add(new ProducerRecord<>(topic, partition, CLOSER, json.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return records;
    }

    /** What each sensor's window must hold: {count, temperature sum, min, max, humidity sum, min, max}. */
    Map<String, long[]> expectedBySensor() {
        return expected(this::sensor);
    }

    Map<String, long[]> expectedByPlace() {
        return expected(this::place);
    }

    private Map<String, long[]> expected(Function<Integer, String> keyOf) {
        Map<String, long[]> expected = new TreeMap<>();
        for (int i = 0; i < sensors; i++) {
            for (int j = 0; j < perSensor; j++) {
                long[] e = expected.computeIfAbsent(keyOf.apply(i),
                        k -> new long[]{0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0, Long.MAX_VALUE, Long.MIN_VALUE});
                int t = temperature(i, j);
                int h = humidity(i, j);
                e[0]++;
                e[1] += t;
                e[2] = Math.min(e[2], t);
                e[3] = Math.max(e[3], t);
                e[4] += h;
                e[5] = Math.min(e[5], h);
                e[6] = Math.max(e[6], h);
            }
        }
        return expected;
    }

    /** The window's statistics in the shape of {@link #expectedBySensor()}. */
    static long[] actual(WindowStats w) {
        return new long[]{w.count(), Math.round(w.temperatureAvg() * w.temperatureCount()),
                w.temperatureMin().longValue(), w.temperatureMax().longValue(),
                Math.round(w.humidityAvg() * w.humidityCount()), w.humidityMin().longValue(), w.humidityMax().longValue()};
    }

    /** Every window in {@code maps} as {@link #actual}, without the closers. */
    static Map<String, List<Long>> actualAll(Map<String, WindowStats> map) {
        return map.values().stream().filter(w -> !w.id().equals(CLOSER))
                  .collect(Collectors.toMap(WindowStats::id, w -> toList(actual(w)), (a, b) -> a, TreeMap::new));
    }

    static Map<String, List<Long>> asLists(Map<String, long[]> expected) {
        Map<String, List<Long>> lists = new TreeMap<>();
        expected.forEach((k, v) -> lists.put(k, toList(v)));
        return lists;
    }

    private static List<Long> toList(long[] values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long v : values) {
            list.add(v);
        }
        return list;
    }

    static void produce(String bootstrap, List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
            producer.flush();
        }
    }

    /**
     * The values of {@code topic} seen by a {@code read_committed} consumer, by key, read until {@code until} holds
     * for them (or 90 s pass).
     */
    static Map<String, List<String>> readCommitted(String bootstrap, String topic,
                                                   Predicate<Map<String, List<String>>> until) {
        Map<String, List<String>> byKey = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!until.test(byKey) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                }
            }
        }
        return byKey;
    }
}
