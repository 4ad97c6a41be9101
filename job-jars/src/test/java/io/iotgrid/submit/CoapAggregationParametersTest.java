package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.AlertRule;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSerializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapAggregationParametersTest {

    private static CoapAggregationParameters parse(String... args) {
        return CoapAggregationParameters.of(JobArguments.parse(args));
    }

    @Test
    void when_onlyUrisGiven_then_defaultsOfTheSettings() {
        CoapAggregationParameters p = parse("coapUris=coap://127.0.0.1:5683/sensors/s-1");

        assertThat(p.coap().resources()).containsExactly("coap://127.0.0.1:5683/sensors/s-1");
        assertThat(p.coap().confirmable()).isTrue();
        assertThat(p.settings()).isEqualTo(AggregationSettings.defaults());
        assertThat(p.jobName()).isEqualTo("iot-grid-coap-aggregation");
        assertThat(p.jobConfig().getProcessingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(p.jobConfig().getSnapshotIntervalMillis()).isEqualTo(10_000);
        assertThat(p.jobConfig().getSerializerConfigs()).as("job-level serializers")
                .isEqualTo(JobSerializers.register(new JobConfig()).getSerializerConfigs());
    }

    @Test
    void when_fileThenOverrides_then_laterArgumentWins(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("plant.properties");
        Files.writeString(file, """
                coapUris = coap://127.0.0.1:5683/a, coap://127.0.0.1:5683/b
                windowSize = 5m
                alertRules = temperature>30,humidity<15
                format = flat
                quietCloseAfter = none
                processingGuarantee = exactly_once
                """);

        CoapAggregationParameters p = parse(file.toString(), "windowSize=2m", "jobName=plant-7",
                "coapConfirmable=false", "placeStatsMap=plant_places");

        assertThat(p.coap().resources()).containsExactly("coap://127.0.0.1:5683/a", "coap://127.0.0.1:5683/b");
        assertThat(p.coap().confirmable()).isFalse();
        assertThat(p.settings().windowSize()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.settings().alertRules())
                .containsExactly(AlertRule.parse("temperature>30"), AlertRule.parse("humidity<15"));
        assertThat(p.settings().format()).isEqualTo(ReadingFormat.flat());
        assertThat(p.settings().quietCloseAfter()).isNull();
        assertThat(p.settings().placeStatsMap()).isEqualTo("plant_places");
        assertThat(p.jobConfig().getName()).isEqualTo("plant-7");
        assertThat(p.guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
    }

    @Test
    void when_urisMissing_then_messageNamesTheKey() {
        assertThatThrownBy(() -> parse("windowSize=1m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("coapUris is required");
    }

    @Test
    void when_badValues_then_messageNamesKeyAndValue() {
        String uri = "coapUris=coap://127.0.0.1/a";
        List.of(new String[]{"windowSize=soon", "windowSize must be a duration", "'soon'"},
                new String[]{"windowSize=0s", "windowSize must be at least 1 ms", "PT0S"},
                new String[]{"alertRules=temperature>>3", "alertRules: ", "temperature>>3"},
                new String[]{"format=xml", "format: ", "'xml'"},
                new String[]{"coapQueueCapacity=many", "coapQueueCapacity must be a whole number", "'many'"},
                new String[]{"coapConfirmable=yes", "coapConfirmable must be true or false", "'yes'"},
                new String[]{"processingGuarantee=ALWAYS", "processingGuarantee must be one of", "'ALWAYS'"},
                new String[]{"snapshotInterval=0ms", "snapshotInterval must be at least 1 ms", "PT0S"})
            .forEach(c -> assertThatThrownBy(() -> parse(uri, c[0]))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1])
                    .hasMessageContaining(c[2]));
        assertThatThrownBy(() -> parse("coapUris=http://127.0.0.1/a"))
                .hasMessageStartingWith("coapUris")
                .hasMessageContaining("http://127.0.0.1/a");
    }

    @Test
    void when_unknownKeyOrStrayArgument_then_rejectedNamingIt() {
        assertThatThrownBy(() -> parse("coapUris=coap://127.0.0.1/a", "windowsize=1m"))
                .hasMessageContaining("unknown keys [windowsize]")
                .hasMessageContaining("windowSize");
        assertThatThrownBy(() -> parse("coapUris=coap://127.0.0.1/a", "no-such-file.properties"))
                .hasMessageContaining("'no-such-file.properties' is neither key=value nor a properties file");
    }
}
