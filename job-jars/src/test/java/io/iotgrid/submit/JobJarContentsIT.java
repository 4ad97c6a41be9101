package io.iotgrid.submit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each packaged job jar carries (an IT because the jars exist only after {@code package}): its main class,
 * iot-grid's classes, Avro and the MQTT client's Netty and RxJava relocated, and none of what the distribution's
 * {@code lib/} already has (Hazelcast, the Kafka connector with kafka-clients, SLF4J, the JCache API), which the
 * member's copy would shadow or clash with, nor the Kafka broker's module and jars, which belong in the broker's own
 * JVM.
 */
class JobJarContentsIT {

    private static final List<String> FORBIDDEN = List.of("com/hazelcast/", "org/apache/kafka/", "org/slf4j/",
            "javax/cache/", "io/iotgrid/kafka/broker/", "org/apache/avro/", "kafka/", "scala/",
            // Relocated: the distribution's lib/ has other versions of Netty and Reactive Streams unshaded.
            "io/netty/", "io/reactivex/", "org/jctools/", "dagger/", "javax/inject/", "org/reactivestreams/");

    @ParameterizedTest
    @CsvSource({
            "iot-grid-coap-aggregation-job.jar, io.iotgrid.submit.CoapAggregationSubmit",
            "iot-grid-kcql-routing-job.jar, io.iotgrid.submit.KcqlRoutingSubmit",
            "iot-grid-kafka-aggregation-job.jar, io.iotgrid.submit.KafkaAggregationSubmit",
            "iot-grid-mqtt-aggregation-job.jar, io.iotgrid.submit.MqttAggregationSubmit"})
    void when_jobJarPackaged_then_mainClassAndOwnClassesButNothingTheMembersOrTheBrokerHave(String jar, String main)
            throws IOException {
        try (JarFile file = new JarFile(Path.of("target", jar).toFile())) {
            Manifest manifest = file.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(main);
            List<String> names = file.stream().map(JarEntry::getName).toList();

            assertThat(names).contains(main.replace('.', '/') + ".class",
                    "io/iotgrid/jobs/AggregationJob.class", "io/iotgrid/core/SqlMappings.class",
                    "io/iotgrid/shaded/org/apache/avro/Schema.class",
                    "com/hivemq/client/mqtt/MqttClient.class",
                    "io/iotgrid/shaded/io/netty/channel/Channel.class",
                    "io/iotgrid/shaded/io/reactivex/Flowable.class");
            assertThat(names).as("classes the distribution's lib/ or the broker's JVM has")
                             .noneMatch(n -> FORBIDDEN.stream().anyMatch(n::startsWith))
                             .noneMatch(n -> n.endsWith(".jar"));
        }
    }
}
