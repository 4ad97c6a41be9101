package io.iotgrid.submit;

import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.coap.testing.TestPki;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.sources.MqttSourceSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttAggregationParametersTest {

    private static MqttAggregationParameters of(String... args) {
        return MqttAggregationParameters.of(SettingsReader.arguments(args));
    }

    @Test
    void when_ownKeys_then_sourceAggregationAndJobSettings() {
        MqttAggregationParameters p = of("mqtt.broker=mqtt://10.0.0.5:1883", "mqtt.topics=plant/+/sensors/#",
                "mqtt.topic.template=plant/{placeId}/sensors/{sensorId}", "window.size=5m", "job.name=plant-a");

        assertThat(p.mqtt().brokerName()).isEqualTo("mqtt://10.0.0.5:1883");
        assertThat(p.mqtt().topics()).containsExactly("plant/+/sensors/#");
        assertThat(p.settings().windowSize()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.jobConfig().getName()).isEqualTo("plant-a");
        assertThat(p.jobConfig().getProcessingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(p.jobConfig().getSnapshotIntervalMillis()).as("acknowledgements follow snapshots").isEqualTo(1000);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void when_streamReactorConnectorFile_then_mappedToTheSourceAndTheRestWarned(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("mqtt-source.properties");
        Files.writeString(file, """
                name=mqtt-source
                connector.class=io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector
                tasks.max=1
                connect.mqtt.kcql=INSERT INTO readings SELECT * FROM '$share/plant/plant/+/sensors/#' \\
                  WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter`; \\
                  INSERT INTO readings SELECT * FROM /hall/sensors
                connect.mqtt.hosts=tcp://10.0.0.5:1883
                connect.mqtt.service.quality=2
                connect.mqtt.clean=true
                connect.mqtt.client.id=lenses_mqtt_sensor
                connect.mqtt.username=gw
                connect.mqtt.password=secret
                connect.mqtt.keep.alive=30
                connect.mqtt.timeout=5
                connect.mqtt.converter.throw.on.error=true
                connect.mqtt.some.future.key=1
                """);

        MqttAggregationParameters p = of(file.toString(), "mqtt.topic.template=plant/{placeId}/sensors/{sensorId}");

        MqttSourceSettings mqtt = p.mqtt();
        assertThat(mqtt.brokerName()).isEqualTo("mqtt://10.0.0.5:1883");
        assertThat(mqtt.topics()).containsExactly("plant/+/sensors/#", "/hall/sensors");
        assertThat(mqtt.sharedGroup()).isEqualTo("plant");
        assertThat(mqtt.qos()).isEqualTo(2);
        assertThat(mqtt.clientId()).isEqualTo("lenses_mqtt_sensor");
        assertThat(mqtt.username()).isEqualTo("gw");
        assertThat(mqtt.password()).isEqualTo("secret");
        assertThat(mqtt.keepAlive()).as("seconds, as Paho read them").isEqualTo(Duration.ofSeconds(30));
        assertThat(mqtt.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.jobConfig().getName()).isEqualTo("iot-grid-mqtt-aggregation");
        assertThat(p.warnings()).anyMatch(w -> w.startsWith("connector.class is ignored"))
                                .anyMatch(w -> w.startsWith("tasks.max is ignored"))
                                .anyMatch(w -> w.startsWith("name is ignored"))
                                .anyMatch(w -> w.startsWith("connect.mqtt.clean=true is not applied"))
                                .anyMatch(w -> w.startsWith("connect.mqtt.converter.throw.on.error is accepted but "
                                        + "not applied: a payload that is not a reading becomes a dead letter"))
                                .anyMatch(w -> w.startsWith("connect.mqtt.kcql: WITHCONVERTER in"))
                                .anyMatch(w -> w.equals("connect.mqtt.kcql: the readings go to the job's maps, not "
                                        + "to the Kafka topics [readings]"))
                                .anyMatch(w -> w.equals("connect.mqtt.some.future.key is not a key of "
                                        + "stream-reactor's MQTT source and is ignored"))
                                .hasSize(8);
    }

    @Test
    void when_ownKeyAndConnectKeyGiven_then_ownKeyWins() {
        MqttAggregationParameters p = of("connect.mqtt.hosts=tcp://10.0.0.5:1883", "connect.mqtt.kcql=INSERT INTO "
                + "x SELECT * FROM a/b", "connect.mqtt.service.quality=0", "mqtt.qos=1");

        assertThat(p.mqtt().qos()).isEqualTo(1);
        assertThat(p.mqtt().topics()).containsExactly("a/b");
    }

    @Test
    void when_olderReleaseKeys_then_mappedToo() {
        MqttAggregationParameters p = of("connect.mqtt.hosts=tcp://10.0.0.5:1883", "connect.mqtt.kcql=INSERT INTO "
                + "x SELECT * FROM a/b", "connect.mqtt.user=gw", "connect.mqtt.connection.keep.alive=20",
                "connect.mqtt.connection.timeout=3", "connect.mqtt.connection.clean=false");

        assertThat(p.mqtt().username()).isEqualTo("gw");
        assertThat(p.mqtt().keepAlive()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.mqtt().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.warnings()).noneMatch(w -> w.contains("clean"));
    }

    @Test
    void when_tlsFiles_then_readUnderTheirConnectKeys(@TempDir Path dir) throws IOException {
        TestPki pki = TestPki.create(dir);

        MqttAggregationParameters p = of("connect.mqtt.hosts=ssl://broker.example:8883",
                "connect.mqtt.kcql=INSERT INTO x SELECT * FROM a/b", "connect.mqtt.ssl.ca.cert=" + pki.ca(),
                "connect.mqtt.ssl.cert=" + pki.clientCertificate(), "connect.mqtt.ssl.key=" + pki.clientKey());

        assertThat(p.mqtt().brokerName()).isEqualTo("mqtts://broker.example:8883");
        assertThat(p.mqtt().tlsCa()).hasSize(1);
        assertThat(p.mqtt().tlsCert()).isNotEmpty();
        assertThat(p.mqtt().tlsKey()).isNotBlank();
    }

    @Test
    void when_connectValueBad_then_messageNamesTheKeyWritten() {
        String kcql = "connect.mqtt.kcql=INSERT INTO x SELECT * FROM a/b";
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=http://10.0.0.5"))
                .hasMessageStartingWith("connect.mqtt.hosts must be mqtt://host:port or mqtts://host:port, "
                        + "was 'http://10.0.0.5'");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.service.quality=3"))
                .hasMessage("connect.mqtt.service.quality must be 0, 1 or 2, was '3'");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.keep.alive=5000ms"))
                .hasMessage("connect.mqtt.keep.alive must be a number of seconds, was '5000ms'");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.keep.alive=70000"))
                .hasMessage("connect.mqtt.keep.alive must be between 1s and 65535s, was '70000'");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.timeout=0"))
                .hasMessageStartingWith("connect.mqtt.timeout must be between 1ms and 24 days");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.clean=maybe"))
                .hasMessageStartingWith("connect.mqtt.clean must be true or false, was 'maybe'");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.client.id=a/b"))
                .hasMessage("connect.mqtt.client.id must be free of /, + and #, was 'a/b'");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=ssl://h:8883", "connect.mqtt.ssl.ca.cert=/no/ca.pem"))
                .hasMessageStartingWith("connect.mqtt.ssl.ca.cert must be the path of a PEM file of certificates, "
                        + "was '/no/ca.pem'");
    }

    @Test
    void when_connectCombinationBad_then_messageNamesTheKeysWritten() {
        String kcql = "connect.mqtt.kcql=INSERT INTO x SELECT * FROM a/b";
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.password=secret"))
                .hasMessage("connect.mqtt.password needs connect.mqtt.username");
        assertThatThrownBy(() -> of(kcql, "connect.mqtt.hosts=tcp://h:1883", "connect.mqtt.ssl.cert=/c.pem"))
                .hasMessageStartingWith("connect.mqtt.ssl.cert must be the path of a PEM file");
        assertThatThrownBy(() -> of("connect.mqtt.kcql=INSERT INTO x SELECT * FROM '$share/g1/a'; INSERT INTO x "
                + "SELECT * FROM '$share/g2/b'", "connect.mqtt.hosts=tcp://h:1883"))
                .hasMessage("connect.mqtt.kcql names several shared subscription groups [g1, g2]: the source "
                        + "subscribes every filter in one group");
    }

    @Test
    void when_kcqlBad_then_messageSaysWhy() {
        String hosts = "connect.mqtt.hosts=tcp://h:1883";
        assertThatThrownBy(() -> of(hosts, "connect.mqtt.kcql=INSERT INTO x SELECT * FROM plant/#"))
                .hasMessageStartingWith("connect.mqtt.kcql: invalid KCQL statement \"INSERT INTO x SELECT * FROM "
                        + "plant/#\": '#' at column 35 is outside quotes")
                .hasMessageContaining("FROM 'plant/+/sensors/#'");
        assertThatThrownBy(() -> of(hosts, "connect.mqtt.kcql=INSERT INTO x SELECT a, b FROM plant/x"))
                .hasMessageStartingWith("connect.mqtt.kcql: ")
                .hasMessageContaining("'SELECT a, b' is not supported: the MQTT source reads whole payloads");
        assertThatThrownBy(() -> of(hosts, "connect.mqtt.kcql=INSERT INTO x SELECT * FROM plant/x STOREAS IMAP"))
                .hasMessageContaining("'STOREAS IMAP' is not a clause of the MQTT source");
        assertThatThrownBy(() -> of(hosts, "connect.mqtt.kcql=INSERT INTO x SELECT * FROM 'a/#/b'"))
                .hasMessageStartingWith("connect.mqtt.kcql: the FROM topics [a/#/b] are not usable: mqtt.topics must "
                        + "be valid topic filters");
    }

    @Test
    void when_keyUnknown_then_refusedWithTheKnownOnes() {
        assertThatThrownBy(() -> of("mqtt.broker=mqtt://h:1883", "mqtt.topics=a", "mqtt.qso=1"))
                .hasMessageStartingWith("unknown keys [mqtt.qso]; known keys are [");
    }
}
