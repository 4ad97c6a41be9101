package io.iotgrid.sources.kafka.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a Confluent-compatible Schema Registry for a schema by id: {@code GET <url>/schemas/ids/<id>}, answered
 * with {@code {"schema":"<the schema as a JSON string>"}} and, for other than Avro, a {@code schemaType}.
 */
public final class SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final HttpClient http;

    public SchemaRegistryClient(String url) {
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /**
     * The Avro schema registered under {@code id}.
     *
     * @throws SchemaLookupException with a sentence saying why not: unknown id, not Avro, an HTTP error or an
     *                               unreachable registry
     */
    public Schema schema(int id) throws SchemaLookupException {
        URI uri = URI.create(baseUrl + "/schemas/ids/" + id);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaLookupException("schema registry " + baseUrl + " unreachable for schema id " + id + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaLookupException("interrupted while asking " + uri);
        }
        if (response.statusCode() == 404) {
            throw new SchemaLookupException("schema id " + id + " not found in the schema registry " + baseUrl);
        }
        if (response.statusCode() != 200) {
            throw new SchemaLookupException("schema registry " + baseUrl + " answered HTTP " + response.statusCode()
                    + " for schema id " + id);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode type = body.get("schemaType");
            if (type != null && !"AVRO".equals(type.asText())) {
                throw new SchemaLookupException("schema id " + id + " is " + type.asText() + ", not Avro");
            }
            JsonNode schema = body.get("schema");
            if (schema == null || !schema.isTextual()) {
                throw new SchemaLookupException("schema registry answer for id " + id + " has no 'schema' string");
            }
            return new Schema.Parser().parse(schema.asText());
        } catch (IOException | RuntimeException e) {
            throw new SchemaLookupException("schema id " + id + " from " + baseUrl + " is not an Avro schema: "
                    + e.getMessage());
        }
    }

    /** Why a schema could not be had; its message goes into the dead letter. */
    public static final class SchemaLookupException extends Exception {
        public SchemaLookupException(String message) {
            super(message, null, false, false);
        }
    }
}
