package io.iotgrid.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("grafana", "iot-grid-dashboard.json").toAbsolutePath();

    /**
     * What the members' Prometheus agent (the JMX exporter 0.20.0 that the distribution and the image run for
     * PROMETHEUS_PORT, with their jmx_agent_config.yaml) exports for the names the dashboard uses: a Jet metric
     * {@code m} as {@code com_hazelcast_jet_Metrics_m}, a member metric as {@code com_hazelcast_Metrics_m}, each
     * tag as a positional label {@code tagN="\"key=value\""}. Built-in: Jet's job status is {@code status}, the
     * cluster's {@code size}. Probes of AggregationJob's {@code bySensor} stage: {@code lateReadings},
     * {@code duplicateReadings}; of its {@code byPlace} stage, {@code lateEventsDropped} (named as Jet's window
     * processors name theirs). User metrics:
     * {@code readingsParsed} and {@code deadLetters} of AggregationJob's parse stage ({@code deadLetters} also of
     * the grid sinks), the CoAP observe source's per-resource {@code coap*} counters, and the MQTT source's
     * per-session {@code mqtt*} counters and gauges, tagged {@code mqttSession}. Probes of AggregationJob's {@code bySensor}
     * stage: the gauges {@code sensorsOnline}, {@code sensorsSilent}, {@code sensorsOffline} and the counters
     * {@code statusAlerts}, {@code anomalyAlerts}. Gauges: StatsGaugesJob's
     * per-key {@code <measure>Avg} in the JMX domain {@code com.hazelcast.iotgrid}, labelled {@code map} and
     * {@code id}; the PostgreSQL history map store's {@code historyWriteBehindQueue}, labelled {@code map}.
     */
    private static final Set<String> EXPORTED = Set.of(
            "com_hazelcast_iotgrid_Metrics_temperatureAvg",
            "com_hazelcast_iotgrid_Metrics_humidityAvg",
            "com_hazelcast_iotgrid_Metrics_pressureAvg",
            "com_hazelcast_iotgrid_Metrics_luminosityAvg",
            "com_hazelcast_jet_Metrics_lateEventsDropped",
            "com_hazelcast_jet_Metrics_lateReadings",
            "com_hazelcast_jet_Metrics_duplicateReadings",
            "com_hazelcast_jet_Metrics_status",
            "com_hazelcast_Metrics_size",
            "com_hazelcast_jet_Metrics_readingsParsed",
            "com_hazelcast_jet_Metrics_deadLetters",
            "com_hazelcast_jet_Metrics_coapNotifications",
            "com_hazelcast_jet_Metrics_coapDropped",
            "com_hazelcast_jet_Metrics_coapSequenceGaps",
            "com_hazelcast_jet_Metrics_coapErrors",
            "com_hazelcast_jet_Metrics_coapReobservations",
            "com_hazelcast_jet_Metrics_mqttReceived",
            "com_hazelcast_jet_Metrics_mqttDeadLetters",
            "com_hazelcast_jet_Metrics_mqttReconnects",
            "com_hazelcast_jet_Metrics_mqttDropped",
            "com_hazelcast_jet_Metrics_mqttInFlight",
            "com_hazelcast_jet_Metrics_mqttFailed",
            "com_hazelcast_jet_Metrics_sensorsOnline",
            "com_hazelcast_jet_Metrics_sensorsSilent",
            "com_hazelcast_jet_Metrics_sensorsOffline",
            "com_hazelcast_jet_Metrics_statusAlerts",
            "com_hazelcast_jet_Metrics_anomalyAlerts",
            "com_hazelcast_iotgrid_Metrics_historyWriteBehindQueue");
    /** Grafana's PostgreSQL data source (its type since Grafana 10). */
    private static final String POSTGRES = "grafana-postgresql-datasource";
    private static final Pattern METRIC = Pattern.compile("\\bcom_hazelcast_\\w+");
    /** A tag pulled out of the positional labels: every position a tag can take must be tried. */
    private static final Pattern TAG_EXTRACTION = Pattern.compile("\"tag(\\d+)\", \"\\\\\"(\\w+)=\\(\\.\\*\\)\\\\\"\"");

    private static JsonNode dashboard;
    /** The Prometheus queries. */
    private static List<JsonNode> targets;
    /** The SQL queries, on the PostgreSQL tables of history. */
    private static List<JsonNode> sqlTargets;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        targets = new ArrayList<>();
        sqlTargets = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(
                t -> (POSTGRES.equals(p.path("datasource").path("type").asText()) ? sqlTargets : targets).add(t)));
    }

    @Test
    void when_loaded_then_everyQueryNamesExportedMetrics() {
        assertThat(targets).isNotEmpty();
        Set<String> used = new HashSet<>();
        for (JsonNode target : targets) {
            Matcher m = METRIC.matcher(target.path("expr").asText());
            List<String> names = new ArrayList<>();
            while (m.find()) {
                names.add(m.group());
            }
            assertThat(names).as("metrics of " + target).isNotEmpty();
            assertThat(EXPORTED).as("exported names").containsAll(names);
            used.addAll(names);
        }
        assertThat(used).as("per-place averages").contains("com_hazelcast_iotgrid_Metrics_temperatureAvg",
                "com_hazelcast_iotgrid_Metrics_humidityAvg");
        assertThat(used).as("pipeline health: parsed, dead letters, late, duplicates, CoAP received and dropped")
                .contains("com_hazelcast_jet_Metrics_readingsParsed", "com_hazelcast_jet_Metrics_deadLetters",
                "com_hazelcast_jet_Metrics_lateEventsDropped", "com_hazelcast_jet_Metrics_lateReadings",
                "com_hazelcast_jet_Metrics_duplicateReadings", "com_hazelcast_jet_Metrics_coapNotifications",
                "com_hazelcast_jet_Metrics_coapDropped");
        assertThat(used).as("every metric of sensor liveness").contains("com_hazelcast_jet_Metrics_sensorsOnline",
                "com_hazelcast_jet_Metrics_sensorsSilent", "com_hazelcast_jet_Metrics_sensorsOffline",
                "com_hazelcast_jet_Metrics_statusAlerts", "com_hazelcast_jet_Metrics_anomalyAlerts");
        assertThat(used).as("every metric of the MQTT source").contains("com_hazelcast_jet_Metrics_mqttReceived",
                "com_hazelcast_jet_Metrics_mqttDeadLetters", "com_hazelcast_jet_Metrics_mqttReconnects",
                "com_hazelcast_jet_Metrics_mqttDropped", "com_hazelcast_jet_Metrics_mqttInFlight",
                "com_hazelcast_jet_Metrics_mqttFailed",
            "com_hazelcast_jet_Metrics_sensorsOnline",
            "com_hazelcast_jet_Metrics_sensorsSilent",
            "com_hazelcast_jet_Metrics_sensorsOffline",
            "com_hazelcast_jet_Metrics_statusAlerts",
            "com_hazelcast_jet_Metrics_anomalyAlerts");
    }

    @Test
    void when_mqttPanels_then_groupedByTheSessionTag() {
        List<JsonNode> mqtt = targets.stream().filter(t -> t.path("expr").asText().contains("Metrics_mqtt")).toList();
        assertThat(mqtt).hasSize(6).allSatisfy(t -> {
            assertThat(t.path("expr").asText()).matches("(sum|max) by \\(session\\) \\(.*")
                                                .contains("\\\"mqttSession=(.*)\\\"");
            assertThat(t.path("legendFormat").asText()).contains("{{session}}");
        });
    }

    @Test
    void when_queryGroupsByTag_then_tagExtractedFromEveryLeadingPosition() {
        for (JsonNode target : targets) {
            String expr = target.path("expr").asText();
            Matcher m = TAG_EXTRACTION.matcher(expr);
            List<Integer> positions = new ArrayList<>();
            while (m.find()) {
                positions.add(Integer.parseInt(m.group(1)));
            }
            if (expr.contains("label_replace")) {
                // job, jobName, exec come first: a vertex tag sits at tag2 or tag3, a source's tags later.
                assertThat(positions).as(expr).startsWith(0, 1, 2, 3).doesNotHaveDuplicates();
                assertThat(positions.get(positions.size() - 1)).isEqualTo(positions.size() - 1);
            }
        }
    }

    @Test
    void when_loaded_then_panelsUseTheDatasourceVariableAndFitTheGrid() {
        JsonNode variables = dashboard.path("templating").path("list");
        assertThat(StreamSupport.stream(variables.spliterator(), false))
                .anySatisfy(v -> {
                    assertThat(v.path("name").asText()).isEqualTo("datasource");
                    assertThat(v.path("query").asText()).isEqualTo("prometheus");
                })
                .anySatisfy(v -> {
                    assertThat(v.path("name").asText()).isEqualTo("postgres");
                    assertThat(v.path("query").asText()).isEqualTo(POSTGRES);
                });
        Set<Integer> ids = new HashSet<>();
        dashboard.path("panels").forEach(p -> {
            assertThat(ids.add(p.path("id").asInt())).as("unique panel id " + p.path("id")).isTrue();
            JsonNode grid = p.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(p.path("title").asText()).isLessThanOrEqualTo(24);
            if (!"row".equals(p.path("type").asText())) {
                boolean sql = POSTGRES.equals(p.path("datasource").path("type").asText());
                assertThat(p.path("datasource").path("uid").asText()).isEqualTo(sql ? "${postgres}" : "${datasource}");
            }
        });
        assertThat(dashboard.path("uid").asText()).isEqualTo("iot-grid");
    }

    /**
     * The history panel reads the table the history map store writes (docs/cluster.md): hourly rows of places, the
     * time column Grafana's macro filters, one series per place.
     */
    @Test
    void when_historyPanel_then_sqlOnTheHourlyPlaceTableFilteredByTheDashboardsTime() {
        assertThat(sqlTargets).hasSize(1).allSatisfy(t -> {
            assertThat(t.path("format").asText()).isEqualTo("time_series");
            assertThat(t.path("rawSql").asText()).contains("window_start AS \"time\"", "id AS metric",
                    "avg_temperature", "FROM place_stats_history_hour", "WHERE $__timeFilter(window_start)");
        });
    }
}
