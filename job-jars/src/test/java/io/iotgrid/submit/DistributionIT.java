package io.iotgrid.submit;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.core.JobStatus;
import io.iotgrid.client.GridCli;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.core.testing.Resources;
import io.iotgrid.core.testing.SqlRows;
import io.iotgrid.kafka.broker.KafkaBroker;
import io.iotgrid.kafka.broker.KafkaBrokerSettings;
import io.iotgrid.member.PostgresExtension;
import io.iotgrid.member.PostgresServer;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import io.iotgrid.sources.MosquittoBroker;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job jars on the official Hazelcast 5.5.0 distribution, as a user runs them: two members started with
 * {@code bin/hz start} and {@code cluster-config/iot-grid-member-postgres.yaml} (history in a PostgreSQL the test
 * starts, iot-grid-member.jar on the members' {@code CLASSPATH}), the CoAP aggregation jar submitted with
 * {@code bin/hz-cli submit}, aggregates read with the grid client and with {@code hz-cli sql}, job counters scraped
 * from the members' Prometheus endpoints, the job listed, cancelled and submitted again with {@code hz-cli}; then
 * the Kafka aggregation jar on the same members next to it, against a real {@link KafkaBroker}, read by the Kafka
 * connector of the distribution's {@code lib/}. Each submission has a class loader of its own: without the job-level
 * serializers, the Kafka job fails on a distributed edge with
 * {@code ClassCastException: SensorReading cannot be cast to SensorReading} (Compact caches the class of a type
 * name member-wide). Last, the MQTT aggregation jar beside them, submitted with a stream-reactor {@code connect.mqtt.*}
 * properties file, Mosquitto as the broker and {@code mosquitto_pub} as the devices.
 */
class DistributionIT {

    /** The members' first port, and each member's Prometheus port: free ones, as other builds share the machine. */
    private final int port = FreePorts.loopback();
    private final int[] prometheusPorts = {FreePorts.loopback(), FreePorts.loopback()};
    private static final String CLUSTER = "distribution-it";
    private static final String JOB = "distribution-it-job";
    private static final String KAFKA_JOB = "distribution-it-kafka-job";
    private static final String KAFKA_TOPIC = "readings";
    private static final String KAFKA_PLACE_STATS = "kafka_place_stats";
    private static final String KAFKA_DEAD_LETTERS = "kafka_dead_letters";
    private static final String MQTT_JOB = "distribution-it-mqtt-job";
    private static final String MQTT_PLACE_STATS = "mqtt_place_stats";
    private static final String MQTT_DEAD_LETTERS = "mqtt_dead_letters";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern AVG_TEMPERATURE = Pattern.compile("(?m)^avg_temperature\\s+(\\S+)$");

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    final Resources resources = new Resources();

    @Test
    void when_jobJarsSubmittedResubmittedAndSideBySide_then_aggregatesQueryableMetricsScrapedAndNoErrors()
            throws Exception {
        Distribution dist = new Distribution(Path.of("target", "distribution-it"), CLUSTER, port);
        // History in PostgreSQL: the shipped yaml with only the data connection changed, as a user would edit it, and
        // iot-grid-member.jar on the members' CLASSPATH.
        String url = postgres.createDatabase("iotgrid");
        String shipped = Files.readString(Path.of(System.getProperty("member.postgres.yaml")));
        String edited = shipped.replace("jdbc:postgresql://127.0.0.1:5432/iotgrid", url)
                .replace("user: iotgrid", "user: " + PostgresServer.USER)
                .replace("password: change-me", "password: " + PostgresServer.PASSWORD);
        assertThat(edited).contains(url, "user: " + PostgresServer.USER, "password: " + PostgresServer.PASSWORD);
        Path memberYaml = Files.writeString(dist.logs().resolve("iot-grid-member-postgres.yaml"), edited);
        List<Process> members = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Process member = dist.startMember(i, memberYaml, prometheusPorts[i]);
            members.add(member);
            resources.onClose(() -> Distribution.stop(member));
        }
        HazelcastInstance client = HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(CLUSTER, port));
        resources.onClose(client::shutdown);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(members).allMatch(Process::isAlive);
            assertThat(client.getCluster().getMembers()).hasSize(2);
        });

        SensorSimulator sensors = resources.add(SensorSimulator.start(SimulationSettings.builder()
                .set(SimulationSettings.SENSORS, 4).set(SimulationSettings.PLACES, 2)
                .set(SimulationSettings.READINGS_PER_SECOND, 5.0).build()));
        String broken = brokenSensor();
        submitCoapJob(dist, "submit", sensors, broken);
        resources.onClose(() -> dist.cli("cancel-on-cleanup", "", WAIT, "cancel", JOB));

        await().atMost(WAIT)
               .failFast("the job failed; see target/distribution-it/member-*.log", () -> failed(client, JOB))
               .untilAsserted(() -> {
            String place = gridCli("place", "p-1");
            Matcher avg = AVG_TEMPERATURE.matcher(place);
            assertThat(avg.find()).as(place).isTrue();
            DoubleSummaryStatistics sent = sensors.published().stream()
                    .filter(r -> r.placeId().equals("p-1")).mapToDouble(SensorReading::temperature)
                    .summaryStatistics();
            assertThat(Double.parseDouble(avg.group(1))).isBetween(sent.getMin(), sent.getMax());
            assertThat(place).containsPattern("(?m)^readings\\s+[1-9]\\d*$");
        });
        assertThat(gridCli("sql", "SELECT id FROM place_stats WHERE avg_temperature > -273 ORDER BY id"))
                .isEqualTo("id\np-1\np-2\n(2 rows)\n");
        assertThat(gridCli("dead-letters")).contains(broken, "payload: {\"id\":\"broken\"");
        // The closed windows reach PostgreSQL through the members' map store, and the queue gauge is exported.
        await().atMost(WAIT).untilAsserted(() -> {
            try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT DISTINCT id FROM place_stats_history ORDER BY id")) {
                List<String> places = new ArrayList<>();
                while (rs.next()) {
                    places.add(rs.getString(1));
                }
                assertThat(places).containsExactly("p-1", "p-2");
            }
            assertThat(scrape(prometheusPorts[0]) + scrape(prometheusPorts[1])).containsPattern(
                    "(?m)^com_hazelcast_iotgrid_Metrics_historyWriteBehindQueue\\{.*map=\"place_stats_history\",");
        });

        Distribution.Result sql = dist.cli("sql", "SELECT id, readings FROM sensor_stats ORDER BY id;\nexit\n", WAIT,
                "sql");
        assertThat(sql.exit()).as(sql.output()).isZero();
        assertThat(sql.output()).containsPattern("\\|s-1 +\\| +[1-9]\\d*\\|")
                                .containsPattern("\\|s-4 +\\| +[1-9]\\d*\\|")
                                .contains("4 row(s) selected");

        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = scrape(prometheusPorts[0]) + scrape(prometheusPorts[1]);
            assertThat(sum(metrics, "readingsParsed")).isPositive();
            assertThat(sum(metrics, "deadLetters")).isPositive();
            assertThat(metrics).contains("com_hazelcast_jet_Metrics_lateEventsDropped{");
        });

        Distribution.Result list = dist.cli("list-jobs", "", WAIT, "list-jobs");
        assertThat(list.output()).containsPattern("RUNNING .* " + JOB);
        Distribution.Result cancel = dist.cli("cancel", "", WAIT, "cancel", JOB);
        assertThat(cancel.output()).as(cancel.output()).contains("Job cancelled.");
        assertThat(dist.cli("list-jobs-after", "", WAIT, "list-jobs").output()).doesNotContain(JOB);

        // The same jar again, in a new class loader: its windows must close and reach the maps again.
        long resubmitted = System.currentTimeMillis();
        submitCoapJob(dist, "submit-again", sensors, broken);
        await().atMost(WAIT)
               .failFast("the resubmitted job failed; see target/distribution-it/member-*.log",
                       () -> failed(client, JOB))
               .untilAsserted(() -> assertThat(SqlRows.query(client, "SELECT id FROM sensor_stats WHERE "
                       + "window_start >= " + resubmitted + " AND readings > 0 ORDER BY id"))
                       .containsExactly(List.of("s-1"), List.of("s-2"), List.of("s-3"), List.of("s-4")));

        // And the Kafka aggregation jar beside it on the same members, into maps of its own.
        KafkaBroker broker = resources.add(KafkaBroker.start(KafkaBrokerSettings.defaults().withMaxHeap("256m")));
        broker.createTopic(KAFKA_TOPIC, 2);
        PlaceReadings readings = new PlaceReadings();
        RecordMetadata bad = readings.produce(broker.bootstrapServers(), KAFKA_TOPIC);
        List<String> args = new ArrayList<>(List.of("submit",
                Path.of("target", "iot-grid-kafka-aggregation-job.jar").toString(),
                "kafka.bootstrap.servers=" + broker.bootstrapServers(), "kafka.topics=" + KAFKA_TOPIC,
                "job.name=" + KAFKA_JOB, "place.stats.map=" + KAFKA_PLACE_STATS,
                "sensor.stats.map=kafka_sensor_stats", "dead.letters.map=" + KAFKA_DEAD_LETTERS));
        args.addAll(PlaceReadings.JOB_ARGUMENTS);
        Distribution.Result submitKafka = dist.cli("submit-kafka", "", WAIT, args.toArray(String[]::new));
        assertThat(submitKafka.exit()).as(submitKafka.output()).isZero();
        assertThat(submitKafka.output()).contains("iot-grid: submitted job '" + KAFKA_JOB + "'");
        resources.onClose(() -> dist.cli("cancel-kafka-on-cleanup", "", WAIT, "cancel", KAFKA_JOB));

        await().atMost(WAIT)
               .failFast("the Kafka job failed; see target/distribution-it/member-*.log",
                       () -> failed(client, KAFKA_JOB) || failed(client, JOB))
               .untilAsserted(() -> assertThat(SqlRows.query(client, "SELECT id, readings, avg_temperature, "
                       + "min_temperature, max_temperature FROM " + KAFKA_PLACE_STATS + " ORDER BY id"))
                       .isEqualTo(readings.expectedPlaceRows()));
        assertThat(SqlRows.query(client, "SELECT source, topic, kafka_partition, kafka_offset FROM "
                + KAFKA_DEAD_LETTERS))
                .containsExactly(List.of("kafka:" + KAFKA_TOPIC + "/1@" + bad.offset(), KAFKA_TOPIC, 1, bad.offset()));
        assertThat(client.getJet().getJob(JOB).getStatus()).isEqualTo(JobStatus.RUNNING);

        submitMqttJobFromStreamReactorProperties(dist, client);

        assertThat(dist.cli("cancel-mqtt", "", WAIT, "cancel", MQTT_JOB).output()).contains("Job cancelled.");
        assertThat(dist.cli("cancel-kafka", "", WAIT, "cancel", KAFKA_JOB).output()).contains("Job cancelled.");
        assertThat(dist.cli("cancel-again", "", WAIT, "cancel", JOB).output()).contains("Job cancelled.");
        for (int i = 0; i < members.size(); i++) {
            // E.g. an entry processor's backup that cannot load the job's classes logs an ERROR, nothing more.
            assertThat(Files.readString(dist.logs().resolve("member-" + i + ".log")))
                    .as("member-%d.log", i).doesNotContainPattern("\\bERROR\\b")
                    .doesNotContain("ClassNotFoundException", "NoClassDefFoundError", "ClassCastException");
        }
        assertThat(new File("Californium3.properties")).doesNotExist();
    }

    /**
     * The MQTT aggregation jar submitted with a stream-reactor MQTT source connector's properties file, Mosquitto as
     * the broker and {@code mosquitto_pub} as the devices: the readings reach the place aggregates with the ids taken
     * from the topic, a payload that is not one becomes a dead letter with its topic.
     */
    private void submitMqttJobFromStreamReactorProperties(Distribution dist, HazelcastInstance client)
            throws Exception {
        MosquittoBroker broker = resources.add(MosquittoBroker.start(MosquittoBroker.options()));
        Path properties = Files.writeString(dist.logs().resolve("mqtt-source.properties"), """
                name=mqtt-source
                connector.class=io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector
                tasks.max=1
                connect.mqtt.hosts=tcp://%s
                connect.mqtt.kcql=INSERT INTO readings SELECT * FROM 'plant/+/sensors/#'
                connect.mqtt.service.quality=1
                connect.mqtt.clean=true
                connect.mqtt.client.id=%s
                """.formatted(broker.hostAndPort(), MQTT_JOB));
        List<String> args = new ArrayList<>(List.of("submit",
                Path.of("target", "iot-grid-mqtt-aggregation-job.jar").toString(), properties.toString(),
                "mqtt.topic.template=plant/{placeId}/sensors/{sensorId}", "job.name=" + MQTT_JOB,
                "place.stats.map=" + MQTT_PLACE_STATS, "sensor.stats.map=mqtt_sensor_stats",
                "dead.letters.map=" + MQTT_DEAD_LETTERS));
        args.addAll(PlaceReadings.JOB_ARGUMENTS);
        Distribution.Result submit = dist.cli("submit-mqtt", "", WAIT, args.toArray(String[]::new));
        assertThat(submit.exit()).as(submit.output()).isZero();
        assertThat(submit.output()).contains("iot-grid: submitted job '" + MQTT_JOB + "'",
                "connect.mqtt.clean=true is not applied", "connector.class is ignored");
        resources.onClose(() -> dist.cli("cancel-mqtt-on-cleanup", "", WAIT, "cancel", MQTT_JOB));
        // QoS 1 messages published before the subscriptions exist would reach no session.
        broker.awaitLog("Sending SUBACK to " + MQTT_JOB + '-', 2, WAIT);

        long windowStart = 1_700_000_000_000L;
        List<String> readings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            readings.add("{\"timestamp\":" + (windowStart + 100L * i) + ",\"payload\":{\"temperature\":" + (20 + i)
                    + "}}");
        }
        broker.publish("plant/p-7/sensors/s-7", 1, readings);
        broker.publish("plant/p-7/sensors/s-8", 1, List.of("not json"));

        await().atMost(WAIT)
               .failFast("the MQTT job failed; see target/distribution-it/member-*.log",
                       () -> failed(client, MQTT_JOB))
               .untilAsserted(() -> assertThat(SqlRows.query(client, "SELECT id, readings, avg_temperature, "
                       + "min_temperature, max_temperature FROM " + MQTT_PLACE_STATS))
                       .containsExactly(List.of("p-7", 5L, 22.0, 20.0, 24.0)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(SqlRows.query(client, "SELECT topic FROM "
                + MQTT_DEAD_LETTERS)).containsExactly(List.of("plant/p-7/sensors/s-8")));
    }

    private static void submitCoapJob(Distribution dist, String logName, SensorSimulator sensors, String broken)
            throws Exception {
        Distribution.Result submit = dist.cli(logName, "", WAIT, "submit",
                Path.of("target", "iot-grid-coap-aggregation-job.jar").toString(),
                "coap.uris=" + String.join(",", sensors.uris()) + ',' + broken,
                "window.size=2s", "early.results.period=1s", "job.name=" + JOB);
        assertThat(submit.exit()).as(submit.output()).isZero();
        assertThat(submit.output()).contains("iot-grid: submitted job '" + JOB + "'");
    }

    private static boolean failed(HazelcastInstance client, String job) {
        return client.getJet().getJob(job).getStatus() == JobStatus.FAILED;
    }

    /** A CoAP resource that answers a payload that is not a reading, to see the dead-letter counter move. */
    private String brokenSensor() {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build());
        CoapResource resource = new CoapResource("broken") {
            @Override
            public void handleGET(CoapExchange exchange) {
                exchange.respond(CoAP.ResponseCode.CONTENT, "{\"id\":\"broken\"");
            }
        };
        resource.setObservable(true);
        server.add(resource);
        server.start();
        resources.onClose(server::destroy);
        return "coap://127.0.0.1:" + server.getEndpoints().get(0).getAddress().getPort() + "/broken";
    }

    private String gridCli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = GridCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("-a", "127.0.0.1:" + port, "-c", CLUSTER));
        all.addAll(List.of(args));
        int exit = cl.execute(all.toArray(String[]::new));
        assertThat(exit).as("iot-grid-client %s: %s", all, err).isZero();
        return out.toString();
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                           .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Sum of the samples of Jet metric {@code name} over every processor, as Prometheus reads them. */
    private static double sum(String metrics, String name) {
        return Pattern.compile("(?m)^com_hazelcast_jet_Metrics_" + name + "\\{[^}]*} (\\S+)$")
                      .matcher(metrics).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
    }
}
