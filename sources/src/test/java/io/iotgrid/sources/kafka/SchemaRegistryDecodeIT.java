package io.iotgrid.sources.kafka;

import com.sun.net.httpserver.HttpServer;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;

import static io.iotgrid.sources.kafka.TestPayloads.avroBinary;
import static io.iotgrid.sources.kafka.TestPayloads.avroReading;
import static io.iotgrid.sources.kafka.TestPayloads.confluent;
import static io.iotgrid.sources.kafka.TestPayloads.quote;
import static io.iotgrid.sources.kafka.TestPayloads.resource;
import static io.iotgrid.sources.kafka.TestPayloads.schema;
import static io.iotgrid.sources.kafka.TestPayloads.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Confluent's wire format with schemas from a real HTTP server speaking the Schema Registry's
 * {@code GET /schemas/ids/{id}}.
 */
class SchemaRegistryDecodeIT {

    @RegisterExtension
    final Resources resources = new Resources();

    private final AtomicInteger requests = new AtomicInteger();

    @Test
    void when_schemaIdRegistered_then_decodedAndSchemaFetchedOnce() throws IOException {
        HttpServer registry = startRegistry();
        KafkaPayloadDecoder decoder = decoder(registry);
        byte[] value = confluent(7, avroBinary(avroReading(schema("reading.avsc"))));

        assertThat(decoder.decode("t", 0, 1, null, value, 1)).isInstanceOf(SensorReading.class);
        assertThat(decoder.decode("t", 0, 2, null, value, 1)).isInstanceOf(SensorReading.class);
        assertThat(requests).hasValue(1);
    }

    @Test
    void when_schemaIdUnknownOrNotAvro_then_deadLetterSaysWhy() throws IOException {
        HttpServer registry = startRegistry();
        KafkaPayloadDecoder decoder = decoder(registry);
        byte[] avro = avroBinary(avroReading(schema("reading.avsc")));

        assertThat(reason(decoder.decode("t", 1, 5, utf8("k"), confluent(8, avro), 1)))
                .isEqualTo("schema id 8 not found in the schema registry " + url(registry));
        assertThat(reason(decoder.decode("t", 1, 6, utf8("k"), confluent(9, avro), 1)))
                .isEqualTo("schema id 9 is PROTOBUF, not Avro");
    }

    @Test
    void when_registryUnreachable_then_deadLetterNamesTheRegistry() throws IOException {
        HttpServer registry = startRegistry();
        String url = url(registry);
        registry.stop(0);
        KafkaPayloadDecoder decoder = new KafkaPayloadDecoder(KafkaPayloadSettings.confluentAvroRegistry(url),
                ReadingFormat.nested());

        Decoded decoded = decoder.decode("t", 0, 7, null, confluent(7, avroBinary(avroReading(schema("reading.avsc")))), 1);

        assertThat(reason(decoded)).startsWith("schema registry " + url + " unreachable for schema id 7");
        assertThat(((DeadLetter) decoded).offset()).isEqualTo(7);
    }

    private HttpServer startRegistry() throws IOException {
        String schema = Files.readString(resource("reading.avsc"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/schemas/ids/", exchange -> {
            requests.incrementAndGet();
            String id = exchange.getRequestURI().getPath().substring("/schemas/ids/".length());
            String body = switch (id) {
                case "7" -> "{\"schema\":" + quote(schema) + "}";
                case "9" -> "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}";
                default -> null;
            };
            byte[] bytes = utf8(body == null ? "{\"error_code\":40403,\"message\":\"Schema not found\"}" : body);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        resources.onClose(() -> server.stop(0));
        return server;
    }

    private static KafkaPayloadDecoder decoder(HttpServer registry) {
        return new KafkaPayloadDecoder(KafkaPayloadSettings.confluentAvroRegistry(url(registry)), ReadingFormat.nested());
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String reason(Decoded decoded) {
        assertThat(decoded).isInstanceOf(DeadLetter.class);
        return ((DeadLetter) decoded).reason();
    }
}
