package io.iotgrid.submit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * Readings for the Kafka aggregation jar's tests: four sensors in two places, five JSON readings each, all in one
 * 10-second event-time window, then one malformed record on partition 1; and the place aggregates computed from them
 * independently of the job. With {@link #JOB_ARGUMENTS} event time never passes the window's end, so the early results
 * must come to hold every reading.
 */
final class PlaceReadings {

    /** The window and lateness the readings need, besides the broker, topic and names. */
    static final List<String> JOB_ARGUMENTS = List.of("window.size=10s", "allowed.lateness=10s",
            "early.results.period=500ms", "quiet.close.after=none", "job.snapshot.interval=1s");
    static final String BAD_KEY = "bad-key";

    private static final long WINDOW_START = 1_700_000_000_000L;

    private final Map<String, DoubleSummaryStatistics> byPlace = new TreeMap<>();

    /** Sends the readings and the malformed record to {@code topic} (at least 2 partitions); returns the latter's. */
    RecordMetadata produce(String bootstrap, String topic) throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int j = 0; j < 5; j++) {
                for (int i = 0; i < 4; i++) {
                    String place = "p-" + i % 2;
                    int temperature = 10 + 3 * i + j;
                    producer.send(new ProducerRecord<>(topic, "s-" + i, "{\"id\":\"s-" + i + "\",\"place_id\":\""
                            + place + "\",\"timestamp\":" + (WINDOW_START + 100L * (j * 4 + i))
                            + ",\"payload\":{\"temperature\":" + temperature + "}}"));
                    byPlace.computeIfAbsent(place, p -> new DoubleSummaryStatistics()).accept(temperature);
                }
            }
            return producer.send(new ProducerRecord<>(topic, 1, BAD_KEY, "{\"id\":\"s-9\",")).get();
        }
    }

    /** The rows of {@code SELECT id, readings, avg_temperature, min_temperature, max_temperature ... ORDER BY id}. */
    List<List<Object>> expectedPlaceRows() {
        List<List<Object>> rows = new ArrayList<>();
        byPlace.forEach((place, t) -> rows.add(List.of(place, t.getCount(), t.getAverage(), t.getMin(), t.getMax())));
        return rows;
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }
}
