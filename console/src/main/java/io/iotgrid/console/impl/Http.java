package io.iotgrid.console.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading requests and writing answers: JSON bodies, bounded in size, and Kafka Connect's error body. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        send(exchange, status, "application/json", bytes);
    }

    static void error(HttpExchange exchange, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", status);
        body.put("message", message);
        json(exchange, status, body);
    }

    static void empty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The request body, at most {@code max} bytes; 413 when larger. */
    static byte[] body(HttpExchange exchange, int max) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > max) {
                    throw tooLarge(exchange, max);
                }
            } catch (NumberFormatException e) {
                throw new RestError(400, "Content-Length is not a number: '" + length + "'");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge(exchange, max);
            }
            return bytes;
        }
    }

    /**
     * How many times the largest accepted body a refused body is read on before the 413, so that a client still
     * writing it gets the answer; a larger body is not read to its end (a client sending gigabytes is not waited
     * for), and its client may see a reset connection instead.
     */
    private static final int DRAIN_FACTOR = 16;

    /**
     * The 413 of a body larger than {@code max}, after reading (and dropping) what the client still sends, up to
     * {@value #DRAIN_FACTOR} times {@code max}: a server that answers and closes while the client is still writing
     * makes the client's socket reset, and the client then sees no answer at all but a broken connection.
     */
    private static RestError tooLarge(HttpExchange exchange, int max) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            long limit = (long) DRAIN_FACTOR * max;
            byte[] drop = new byte[8192];
            for (long read = 0; read < limit; ) {
                int n = in.read(drop, 0, (int) Math.min(drop.length, limit - read));
                if (n < 0) {
                    break;
                }
                read += n;
            }
        }
        return new RestError(413, "the request body is larger than " + max + " bytes");
    }

    /** The body as a JSON object; 400 naming the problem when it is not one. */
    static ObjectNode object(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RestError(400, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RestError(400, "the request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RestError(400, "the request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** A JSON object of configuration keys: every value a string, number or boolean, read as its text. */
    static Map<String, String> config(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new RestError(400, what + " must be a JSON object of keys and values");
        }
        Map<String, String> config = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (v.isNull()) {
                continue;
            }
            if (!v.isValueNode()) {
                throw new RestError(400, "the value of " + f.getKey() + " in " + what
                        + " must be a string, number or boolean");
            }
            config.put(f.getKey(), v.asText());
        }
        return config;
    }
}
