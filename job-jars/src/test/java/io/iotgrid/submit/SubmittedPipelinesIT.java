package io.iotgrid.submit;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.pipeline.test.TestSources;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.RawReading;
import io.iotgrid.core.SqlMappings;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.kcql.StreamReactorProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static io.iotgrid.core.testing.GridReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the job jars' mains submit, on an embedded member with SQL: the mappings make the result maps queryable
 * with the column names of the README, and the job counts its input in user metrics.
 */
class SubmittedPipelinesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final Resources resources = new Resources();

    private HazelcastInstance member(int port) {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                GridConfigs.loopbackMember("job-jars-it-" + port, port));
        resources.onClose(member::shutdown);
        return member;
    }

    @Test
    void when_aggregationRuns_then_sqlFindsHotPlaceAndMetricsCountReadingsAndDeadLetters() {
        HazelcastInstance member = member(6200);
        AggregationSettings settings = AggregationSettings.defaults()
                .withWindowSize(Duration.ofSeconds(1)).withEarlyResultsPeriod(Duration.ZERO);
        SqlMappings.create(member, settings.sensorStatsMap(), settings.placeStatsMap(), settings.deadLettersMap());
        // Every 10th item is broken JSON; sensors s-0..s-3, the even ones in the hot place.
        Job job = member.getJet().newJob(AggregationJob.build(TestSources.itemStream(50, (ts, seq) -> {
            int sensor = (int) (seq % 4);
            String json = seq % 10 == 9 ? "{\"id\":\"s-" + sensor
                    : "{\"id\":\"s-" + sensor + "\",\"place_id\":\"" + (sensor % 2 == 0 ? "p-hot" : "p-cold")
                      + "\",\"timestamp\":" + System.currentTimeMillis() + ",\"payload\":{\"temperature\":"
                      + (sensor % 2 == 0 ? 30 : 20) + "}}";
            return new RawReading("test:" + seq, System.currentTimeMillis(), json.getBytes(StandardCharsets.UTF_8));
        }), settings));
        resources.onClose(job::cancel);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(query(member, "SELECT id FROM place_stats WHERE avg_temperature > 25"))
                    .containsExactly(List.of("p-hot"));
            assertThat(query(member, "SELECT id, readings, count_temperature, min_temperature, max_temperature "
                    + "FROM sensor_stats WHERE id = 's-1'"))
                    .singleElement().satisfies(row -> {
                        assertThat(row.get(1)).isEqualTo(row.get(2));
                        assertThat((long) row.get(1)).isPositive();
                        assertThat(row.subList(3, 5)).containsExactly(20.0, 20.0);
                    });
            assertThat(query(member, "SELECT source, reason FROM dead_letters")).isNotEmpty()
                    .allSatisfy(row -> assertThat((String) row.get(1)).isNotBlank());
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(sum(job, AggregationJob.READINGS_PARSED)).isPositive();
            assertThat(sum(job, AggregationJob.DEAD_LETTERS)).isPositive();
        });
    }

    @Test
    void when_kafkaValuesRouted_then_jsonRecordsStoredAndBrokenOnesDeadLettered() {
        HazelcastInstance member = member(6205);
        Properties props = new Properties();
        props.setProperty("connect.hazelcast.kcql",
                "INSERT INTO routed SELECT sensor_id, temperature FROM readings WITHFORMAT JSON STOREAS RING_BUFFER");
        StreamReactorProperties routing = StreamReactorProperties.of(props);
        SqlMappings.createDeadLetters(member, routing.settings().deadLettersMap());
        Job job = member.getJet().newJob(KcqlRoutingSubmit.build(TestSources.itemStream(20, (ts, seq) -> {
            String value = seq % 2 == 0 ? "{\"sensor_id\":\"s-" + seq + "\",\"temperature\":21.5,\"x\":1}" : "not json";
            return KcqlRoutingSubmit.decode(new ConsumerRecord<>("readings", 0, seq, null,
                    value.getBytes(StandardCharsets.UTF_8)));
        }), routing));
        resources.onClose(job::cancel);

        Ringbuffer<Object> routed = member.getRingbuffer("routed");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(readAll(routed)).isNotEmpty().allSatisfy(v ->
                    assertThat(v.toString()).matches("\\{\"sensor_id\":\"s-\\d*[02468]\",\"temperature\":21.5}"));
            assertThat(query(member, "SELECT source FROM dead_letters"))
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat((String) row.get(0)).matches("kafka:readings/0@\\d*[13579]"));
        });
    }

    private static long sum(Job job, String metric) {
        return job.getMetrics().get(metric).stream().mapToLong(Measurement::value).sum();
    }

    private static List<List<Object>> query(HazelcastInstance hz, String sql) {
        List<List<Object>> rows = new ArrayList<>();
        try (SqlResult result = hz.getSql().execute(sql)) {
            for (SqlRow row : result) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < row.getMetadata().getColumnCount(); i++) {
                    values.add(row.getObject(i));
                }
                rows.add(values);
            }
        }
        return rows;
    }
}
