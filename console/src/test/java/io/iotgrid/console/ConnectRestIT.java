package io.iotgrid.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import io.iotgrid.core.GridConfigs;
import io.iotgrid.core.testing.FreePorts;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka Connect's REST calls against a console that is a client of a real member, with the JDK's HTTP client: a
 * stream-reactor CoAP source connector file, turned into Connect JSON, runs as the CoAP aggregation job observing
 * simulated sensors, and every call of the API acts on that job.
 */
class ConnectRestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static HazelcastInstance member;
    private static HazelcastInstance client;
    private static SensorSimulator sensors;
    private static ConsoleSettings settings;
    private static Console console;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        String cluster = "console-it-" + UUID.randomUUID();
        member = Hazelcast.newHazelcastInstance(GridConfigs.loopbackMember(cluster, FreePorts.loopback()));
        settings = ConsoleSettings.builder().set(ConsoleSettings.PORT, 0)
                .set(ConsoleSettings.CLUSTER_NAME, cluster)
                .set(ConsoleSettings.CLUSTER_MEMBERS, List.of("127.0.0.1:"
                        + member.getCluster().getLocalMember().getAddress().getPort()))
                .build();
        client = HazelcastClient.newHazelcastClient(Console.clientConfig(settings));
        console = Console.start(client, settings);
        sensors = SensorSimulator.start(SimulationSettings.builder().set(SimulationSettings.SENSORS, 2)
                .set(SimulationSettings.PLACES, 1).set(SimulationSettings.READINGS_PER_SECOND, 5.0).build());
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (sensors != null) {
            sensors.close();
        }
        if (client != null) {
            client.shutdown();
        }
        if (member != null) {
            member.getJet().getJobs().stream().filter(j -> !j.getStatus().isTerminal()).forEach(Job::cancel);
            member.shutdown();
        }
    }

    /** A stream-reactor CoAP source connector's properties file, as a Kafka Connect user has it. */
    private static String propertiesFile(String name) {
        return "name=" + name + "\n"
                + "connector.class=com.datamountaineer.streamreactor.connect.coap.source.CoapSourceConnector\n"
                + "tasks.max=1\n"
                + "connect.coap.uri=" + String.join(",", sensors.uris()) + "\n"
                + "connect.coap.kcql=INSERT INTO readings SELECT * FROM sensors\n"
                + "window.size=2s\n"
                + "early.results.period=1s\n";
    }

    /** What {@code connect-cli create} sends for a properties file: {@code {"name": ..., "config": {...}}}. */
    private static ObjectNode connectJson(String properties) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(properties));
        ObjectNode body = JSON.createObjectNode();
        body.put("name", p.getProperty("name"));
        ObjectNode config = body.putObject("config");
        p.stringPropertyNames().forEach(k -> config.put(k, p.getProperty(k)));
        return body;
    }

    @Test
    void when_connectorDrivenThroughItsLifecycle_then_itsJobFollows() throws Exception {
        String name = "coap-plant";
        Response created = call("POST", "/connectors", JSON.writeValueAsString(connectJson(propertiesFile(name))));
        assertThat(created.status).as(created.body).isEqualTo(201);
        JsonNode info = created.json();
        assertThat(info.get("name").asText()).isEqualTo(name);
        assertThat(info.get("type").asText()).isEqualTo("source");
        assertThat(info.at("/config/connect.coap.uri").asText()).isEqualTo(String.join(",", sensors.uris()));
        assertThat(info.at("/tasks/0/connector").asText()).isEqualTo(name);
        awaitState(name, "RUNNING");
        assertThat(job(name).getStatus()).isEqualTo(JobStatus.RUNNING);

        assertThat(call("GET", "/connectors", null).json().toString()).isEqualTo("[\"" + name + "\"]");
        JsonNode expanded = call("GET", "/connectors?expand=status", null).json();
        assertThat(expanded.at("/" + name + "/status/connector/state").asText()).isEqualTo("RUNNING");
        assertThat(expanded.at("/" + name + "/status/tasks/0/state").asText()).isEqualTo("RUNNING");
        assertThat(call("GET", "/connectors/" + name + "/config", null).json().get("window.size").asText())
                .isEqualTo("2s");
        JsonNode tasks = call("GET", "/connectors/" + name + "/tasks", null).json();
        assertThat(tasks.at("/0/id/connector").asText()).isEqualTo(name);
        assertThat(tasks.at("/0/id/task").asInt()).isZero();

        Response again = call("POST", "/connectors", JSON.writeValueAsString(connectJson(propertiesFile(name))));
        assertThat(again.status).isEqualTo(409);
        assertThat(again.json().get("error_code").asInt()).isEqualTo(409);
        assertThat(again.json().get("message").asText()).isEqualTo("Connector " + name + " already exists");

        assertThat(call("PUT", "/connectors/" + name + "/pause", null).status).isEqualTo(202);
        awaitState(name, "PAUSED");
        assertThat(job(name).getStatus()).isEqualTo(JobStatus.SUSPENDED);

        assertThat(call("PUT", "/connectors/" + name + "/resume", null).status).isEqualTo(202);
        awaitState(name, "RUNNING");
        assertThat(job(name).getStatus()).isEqualTo(JobStatus.RUNNING);

        long jobId = job(name).getId();
        assertThat(call("POST", "/connectors/" + name + "/restart", null).status).isEqualTo(204);
        awaitState(name, "RUNNING");
        assertThat(job(name).getId()).as("a restart keeps the job").isEqualTo(jobId);

        ObjectNode updated = (ObjectNode) connectJson(propertiesFile(name)).get("config");
        updated.put("window.size", "3s");
        Response put = call("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(updated));
        assertThat(put.status).as(put.body).isEqualTo(200);
        assertThat(call("GET", "/connectors/" + name + "/config", null).json().get("window.size").asText())
                .isEqualTo("3s");
        awaitState(name, "RUNNING");
        assertThat(job(name).getId()).as("the job runs again with the new configuration").isNotEqualTo(jobId);
        assertThat(member.getJet().getJob(jobId).getStatus()).isEqualTo(JobStatus.FAILED);

        assertThat(call("PUT", "/connectors/" + name + "/stop", null).status).isEqualTo(204);
        awaitState(name, "STOPPED");
        assertThat(job(name).getStatus().isTerminal()).isTrue();
        assertThat(call("PUT", "/connectors/" + name + "/resume", null).status).isEqualTo(202);
        awaitState(name, "RUNNING");

        // Everything is in the cluster: a new console finds the connector and its job as they were.
        console.close();
        console = Console.start(client, settings);
        assertThat(call("GET", "/connectors/" + name + "/status", null).json().at("/connector/state").asText())
                .isEqualTo("RUNNING");

        long lastJob = job(name).getId();
        assertThat(call("DELETE", "/connectors/" + name, null).status).isEqualTo(204);
        assertThat(member.getJet().getJob(lastJob).getStatus()).as("the job is gone").isEqualTo(JobStatus.FAILED);
        assertThat(member.getJet().getJob(lastJob).isUserCancelled()).isTrue();
        Response gone = call("GET", "/connectors/" + name, null);
        assertThat(gone.status).isEqualTo(404);
        assertThat(gone.json().get("message").asText()).isEqualTo("Connector " + name + " not found");
        assertThat(call("GET", "/connectors", null).json().toString()).isEqualTo("[]");
    }

    @Test
    void when_liveEventsOpened_then_snapshotThenWindowsOfThePlaceArrive() throws Exception {
        String name = "coap-live";
        Response created = call("POST", "/connectors", JSON.writeValueAsString(connectJson(propertiesFile(name))));
        assertThat(created.status).as(created.body).isEqualTo(201);
        try {
            HttpResponse<InputStream> events = http.send(HttpRequest.newBuilder(console.url().resolve("/events"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/event-stream"));
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(),
                    StandardCharsets.UTF_8))) {
                List<String> seen = new ArrayList<>();
                String line;
                while ((line = lines.readLine()) != null) {
                    seen.add(line);
                    if (line.startsWith("data: ") && seen.size() > 1 && seen.get(seen.size() - 2)
                            .equals("event: window") && line.contains("\"id\":\"p-1\"")) {
                        break;
                    }
                }
                assertThat(seen).as("the stream").contains("event: reset", "event: window");
                assertThat(seen.indexOf("event: reset")).isLessThan(seen.indexOf("event: window"));
                JsonNode window = JSON.readTree(seen.get(seen.size() - 1).substring("data: ".length()));
                assertThat(window.get("count").asLong()).isPositive();
                assertThat(window.at("/measures/temperature/avg").isNumber()).isTrue();
            }
        } finally {
            assertThat(call("DELETE", "/connectors/" + name, null).status).isEqualTo(204);
        }
    }

    @Test
    void when_validated_then_eachBadKeyNamed() throws Exception {
        ObjectNode config = JSON.createObjectNode();
        config.put("connector.class", "com.datamountaineer.streamreactor.connect.coap.source.CoapSourceConnector");
        config.put("connect.coap.uri", "http://127.0.0.1:5683/sensors/s-1");
        config.put("window.size", "soon");
        config.put("connect.coap.no.such.key", "1");
        Response r = call("PUT", "/connector-plugins/CoapSourceConnector/config/validate",
                JSON.writeValueAsString(config));
        assertThat(r.status).as(r.body).isEqualTo(200);
        JsonNode infos = r.json();
        assertThat(infos.get("name").asText())
                .isEqualTo("com.datamountaineer.streamreactor.connect.coap.source.CoapSourceConnector");
        assertThat(infos.get("error_count").asInt()).isEqualTo(3);
        assertThat(errors(infos, "connect.coap.uri")).singleElement().asString()
                .startsWith("connect.coap.uri must be coap:// or coaps:// URIs");
        assertThat(errors(infos, "window.size")).singleElement().asString().startsWith("window.size must be");
        assertThat(errors(infos, "connect.coap.no.such.key")).singleElement().asString()
                .contains("connect.coap.no.such.key is not a key of");
        assertThat(errors(infos, "coap.queue.capacity")).isEmpty();

        config.put("connect.coap.uri", "coap://127.0.0.1:5683/sensors/s-1");
        config.put("window.size", "5s");
        config.put("early.results.period", "1s");
        config.remove("connect.coap.no.such.key");
        JsonNode good = call("PUT", "/connector-plugins/com.datamountaineer.streamreactor.connect.coap.source."
                + "CoapSourceConnector/config/validate", JSON.writeValueAsString(config)).json();
        assertThat(good.get("error_count").asInt()).as(good.toString()).isZero();

        Response unknown = call("PUT", "/connector-plugins/NoSuchConnector/config/validate", "{}");
        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("NoSuchConnector");

        JsonNode plugins = call("GET", "/connector-plugins", null).json();
        assertThat(plugins.findValuesAsText("class")).contains(
                "com.datamountaineer.streamreactor.connect.hazelcast.sink.HazelCastSinkConnector",
                "io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector",
                "com.datamountaineer.streamreactor.connect.coap.source.CoapSourceConnector",
                "io.iotgrid.submit.CoapAggregationSubmit", "io.iotgrid.submit.KafkaAggregationSubmit",
                "io.iotgrid.submit.MqttAggregationSubmit");
    }

    @Test
    void when_requestIsBad_then_400_404_413WithAMessageAndNoStackTrace() throws Exception {
        List<Response> bad = List.of(
                call("POST", "/connectors", "{\"name\": \"x\", \"config\": {"),
                call("POST", "/connectors", "[1, 2]"),
                call("POST", "/connectors", "{\"name\": \"x\", \"config\": {\"connector.class\": \"org.Nope\"}}"),
                call("POST", "/connectors", "{\"name\": \"x\", \"config\": {\"connector.class\": "
                        + "\"io.iotgrid.submit.CoapAggregationSubmit\", \"coap.uris\": \"coap://127.0.0.1/a\", "
                        + "\"window.size\": \"-1s\"}}"),
                call("POST", "/connectors", "{\"name\": \"x\", \"config\": {\"connector.class\": "
                        + "\"io.iotgrid.submit.CoapAggregationSubmit\", \"coap.uris\": \"coap://127.0.0.1/a\", "
                        + "\"no.such.key\": \"1\"}}"),
                call("PUT", "/connectors/nope/pause", null),
                call("GET", "/connectors/nope/status", null),
                call("POST", "/connectors", "{\"name\": \"x\", \"config\": {\"big\": \"" + "a".repeat(70_000) + "\"}}"),
                // Without a Content-Length (chunked): refused once more than the limit has been read.
                chunked("POST", "/connectors", "{\"name\": \"x\", \"config\": {\"big\": \"" + "a".repeat(70_000)
                        + "\"}}"));
        assertThat(bad).extracting(r -> r.status).containsExactly(400, 400, 400, 400, 400, 404, 404, 413, 413);
        for (Response r : bad) {
            JsonNode body = r.json();
            assertThat(body.get("error_code").asInt()).isEqualTo(r.status);
            assertThat(body.get("message").asText()).as(r.body).isNotBlank().doesNotContain("\tat ", "Exception");
        }
        assertThat(bad.get(0).json().get("message").asText()).startsWith("the request body is not valid JSON");
        assertThat(bad.get(2).json().get("message").asText()).contains("org.Nope");
        assertThat(bad.get(3).json().get("message").asText()).contains("window.size");
        assertThat(bad.get(4).json().get("message").asText()).contains("no.such.key");
        assertThat(bad.get(7).json().get("message").asText()).contains("65536 bytes");
        assertThat(bad.get(8).json().get("message").asText()).contains("65536 bytes");
        assertThat(call("GET", "/connectors", null).json().toString()).doesNotContain("\"x\"");
    }

    @Test
    void when_tokenSet_then_mutationsWithoutItRefused() throws Exception {
        ConsoleSettings guarded = ConsoleSettings.builder().set(ConsoleSettings.PORT, 0)
                .set(ConsoleSettings.API_TOKEN, "s3cret").build();
        try (Console secured = Console.start(client, guarded)) {
            String body = JSON.writeValueAsString(connectJson(propertiesFile("coap-guarded")));
            Response refused = send(secured.url(), "POST", "/connectors", body, null);
            assertThat(refused.status).isEqualTo(401);
            assertThat(refused.json().get("error_code").asInt()).isEqualTo(401);
            assertThat(send(secured.url(), "POST", "/connectors", body, "Bearer wrong").status).isEqualTo(401);
            assertThat(send(secured.url(), "PUT", "/connectors/coap-guarded/config", "{}", null).status)
                    .isEqualTo(401);
            assertThat(send(secured.url(), "GET", "/connectors", null, null).status).as("reads stay open")
                    .isEqualTo(200);
            assertThat(call("GET", "/connectors", null).json().toString()).doesNotContain("coap-guarded");

            Response accepted = send(secured.url(), "POST", "/connectors", body, "Bearer s3cret");
            assertThat(accepted.status).as(accepted.body).isEqualTo(201);
            assertThat(send(secured.url(), "DELETE", "/connectors/coap-guarded", null, null).status)
                    .isEqualTo(401);
            assertThat(send(secured.url(), "DELETE", "/connectors/coap-guarded", null, "Bearer s3cret").status)
                    .isEqualTo(204);
        }
    }

    private static List<String> errors(JsonNode infos, String key) {
        for (JsonNode c : infos.get("configs")) {
            if (c.at("/value/name").asText().equals(key)) {
                List<String> errors = new ArrayList<>();
                c.at("/value/errors").forEach(e -> errors.add(e.asText()));
                return errors;
            }
        }
        throw new AssertionError("no entry for " + key + " in " + infos);
    }

    private static Job job(String name) {
        return member.getJet().getJob(name);
    }

    private static void awaitState(String name, String state) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(call("GET", "/connectors/" + name + "/status", null).json().at("/connector/state")
                        .asText()).isEqualTo(state));
    }

    private static Response call(String method, String path, String body) throws Exception {
        return send(console.url(), method, path, body, null);
    }

    /** A call whose body has no Content-Length: the client sends it chunked. */
    private static Response chunked(String method, String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(console.url().resolve(path)).timeout(WAIT)
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private static Response send(URI base, String method, String path, String body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (auth != null) {
            b.header("Authorization", auth);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private record Response(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }
}
