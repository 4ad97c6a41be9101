package io.iotgrid.console.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka Connect's REST paths over {@link Connectors}: {@code /connectors...} and {@code /connector-plugins...},
 * with its JSON shapes, status codes and error body.
 */
final class ConnectApi {

    private final Connectors connectors;
    private final int maxBody;
    private final String version;

    ConnectApi(Connectors connectors, int maxBody, String version) {
        this.connectors = connectors;
        this.maxBody = maxBody;
        this.version = version;
    }

    /** Answers a request under {@code /connectors} or {@code /connector-plugins}; throws {@link RestError}. */
    void handle(HttpExchange ex, List<String> path, Map<String, String> query) throws IOException {
        String method = ex.getRequestMethod();
        if (path.get(0).equals("connector-plugins")) {
            plugins(ex, method, path);
            return;
        }
        if (path.size() == 1) {
            switch (method) {
                case "GET" -> list(ex, query.get("expand"));
                case "POST" -> {
                    ObjectNode body = Http.object(Http.body(ex, maxBody));
                    if (!body.hasNonNull("name") || !body.get("name").isTextual()) {
                        throw new RestError(400, "the request body must name the connector: {\"name\": ..., "
                                + "\"config\": {...}}");
                    }
                    String name = body.get("name").asText();
                    Map<String, String> config = Http.config(body.get("config"), "config");
                    Http.json(ex, 201, connectors.create(name, config));
                }
                default -> notAllowed(method, "/connectors");
            }
            return;
        }
        String name = path.get(1);
        String sub = path.size() > 2 ? String.join("/", path.subList(2, path.size())) : "";
        switch (method + " " + sub) {
            case "GET " -> Http.json(ex, 200, connectors.info(name));
            case "DELETE " -> {
                connectors.delete(name);
                Http.empty(ex, 204);
            }
            case "GET config" -> Http.json(ex, 200, connectors.config(name));
            case "PUT config" -> {
                Map<String, String> config = Http.config(Http.object(Http.body(ex, maxBody)), "the body");
                boolean created = connectors.update(name, config);
                Http.json(ex, created ? 201 : 200, connectors.info(name));
            }
            case "GET status" -> Http.json(ex, 200, connectors.status(name));
            case "GET tasks" -> Http.json(ex, 200, connectors.tasks(name));
            case "GET tasks/0/status" -> Http.json(ex, 200, ((List<?>) connectors.status(name).get("tasks")).get(0));
            case "PUT pause" -> {
                connectors.pause(name);
                Http.empty(ex, 202);
            }
            case "PUT resume" -> {
                connectors.resume(name);
                Http.empty(ex, 202);
            }
            case "PUT stop" -> {
                connectors.stop(name);
                Http.empty(ex, 204);
            }
            case "POST restart", "POST tasks/0/restart" -> {
                connectors.restart(name);
                Http.empty(ex, 204);
            }
            default -> throw new RestError(404, "no such resource: " + method + " " + ex.getRequestURI().getPath());
        }
    }

    private void list(HttpExchange ex, String expand) throws IOException {
        List<String> names = connectors.names();
        if (expand == null) {
            Http.json(ex, 200, names);
            return;
        }
        List<String> parts = List.of(expand.split(","));
        for (String p : parts) {
            if (!p.equals("status") && !p.equals("info")) {
                throw new RestError(400, "expand takes status and info, was '" + expand + "'");
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        for (String name : names) {
            Map<String, Object> one = new LinkedHashMap<>();
            try {
                if (parts.contains("info")) {
                    one.put("info", connectors.info(name));
                }
                if (parts.contains("status")) {
                    one.put("status", connectors.status(name));
                }
            } catch (RestError deletedMeanwhile) {
                continue;
            }
            all.put(name, one);
        }
        Http.json(ex, 200, all);
    }

    private void plugins(HttpExchange ex, String method, List<String> path) throws IOException {
        if (path.size() == 1 && method.equals("GET")) {
            Http.json(ex, 200, ConnectorPlugin.ALL.stream().map(p -> Map.of("class", p.className(),
                    "type", p.type(), "version", version)).toList());
            return;
        }
        if (path.size() == 4 && path.get(2).equals("config") && path.get(3).equals("validate")
                && method.equals("PUT")) {
            String className = path.get(1);
            ConnectorPlugin plugin = ConnectorPlugin.find(className);
            if (plugin == null) {
                throw new RestError(404, "Failed to find any class that implements Connector and which name "
                        + "matches " + className + "; the classes are " + ConnectorPlugin.classNames());
            }
            Map<String, String> config = Http.config(Http.object(Http.body(ex, maxBody)), "the body");
            String given = config.get("connector.class");
            if (given != null && ConnectorPlugin.find(given) != plugin) {
                throw new RestError(400, "connector.class " + given + " is not the class in the path, "
                        + className);
            }
            config.putIfAbsent("connector.class", plugin.className());
            Http.json(ex, 200, Validation.validate(plugin, config));
            return;
        }
        if (path.size() == 1 || path.size() == 4) {
            notAllowed(method, ex.getRequestURI().getPath());
        }
        throw new RestError(404, "no such resource: " + ex.getRequestURI().getPath());
    }

    private static void notAllowed(String method, String path) {
        throw new RestError(405, "HTTP " + method + " is not supported on " + path);
    }
}
