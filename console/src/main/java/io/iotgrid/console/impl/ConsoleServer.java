package io.iotgrid.console.impl;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.Logger;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.iotgrid.console.ConsoleSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The console's HTTP server (the JDK's): the page and its static files, the chart library from its WebJar, the
 * live events, the page's JSON reads and Kafka Connect's REST API, each request checked for credentials when it
 * changes something and answered with a JSON error, never a stack trace, when it fails.
 */
public final class ConsoleServer {

    private static final ILogger LOG = Logger.getLogger(ConsoleServer.class);
    private static final String WEB = "io/iotgrid/console/web/";
    private static final String WEBJARS = "META-INF/resources/webjars/";
    /** A comment line sent to an idle page, so proxies and the browser keep the connection. */
    private static final long KEEPALIVE_MILLIS = 15_000;
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "png", "image/png", "svg", "image/svg+xml");

    private final ConsoleSettings settings;
    private final HttpServer server;
    private final ExecutorService threads;
    private final LiveFeed feed;
    private final ConnectApi connect;
    private final GridApi grid;
    private final AtomicInteger browsers = new AtomicInteger();

    private ConsoleServer(ConsoleSettings settings, HttpServer server, ExecutorService threads, LiveFeed feed,
                          ConnectApi connect, GridApi grid) {
        this.settings = settings;
        this.server = server;
        this.threads = threads;
        this.feed = feed;
        this.connect = connect;
        this.grid = grid;
    }

    /** Binds, starts the feed's listeners and serves; throws {@link IOException} when the port is taken. */
    public static ConsoleServer start(HazelcastInstance hz, ConsoleSettings settings, String version)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.get(ConsoleSettings.BIND_ADDRESS),
                settings.get(ConsoleSettings.PORT)), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "iot-grid-console-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        String worker = settings.get(ConsoleSettings.BIND_ADDRESS) + ':' + server.getAddress().getPort();
        LiveFeed feed = new LiveFeed(settings.get(ConsoleSettings.EVENT_QUEUE));
        feed.start(hz, settings.get(ConsoleSettings.PLACE_STATS_MAP), settings.get(ConsoleSettings.ALERTS_TOPIC),
                settings.get(ConsoleSettings.DEAD_LETTERS_MAP));
        Connectors connectors = new Connectors(hz, settings.get(ConsoleSettings.CONNECTORS_MAP), worker);
        ConsoleServer console = new ConsoleServer(settings, server, threads, feed,
                new ConnectApi(connectors, settings.get(ConsoleSettings.MAX_BODY_BYTES), version),
                new GridApi(hz, settings.get(ConsoleSettings.PLACE_STATS_MAP),
                        settings.get(ConsoleSettings.SENSOR_STATS_MAP)));
        server.createContext("/", console::handle);
        server.start();
        return console;
    }

    /** The port it serves on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving: drops the live pages, removes the listeners and closes the port. */
    public void stop() {
        feed.stop();
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) {
        try {
            route(ex);
        } catch (RestError e) {
            answer(ex, e.status(), e.getMessage());
        } catch (IOException e) {
            // The browser or client went away: nothing to answer.
            ex.close();
        } catch (RuntimeException e) {
            LOG.warning("request " + ex.getRequestMethod() + " " + ex.getRequestURI() + " failed: " + e);
            answer(ex, 500, "the request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static void answer(HttpExchange ex, int status, String message) {
        try {
            if (status == 401) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"iot-grid console\"");
            }
            Http.error(ex, status, message);
        } catch (IOException | RuntimeException alreadyAnswered) {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        List<String> path = segments(ex.getRequestURI().getRawPath());
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        if (!method.equals("GET") && !method.equals("HEAD")) {
            authenticate(ex);
        }
        if (path.isEmpty()) {
            resource(ex, WEB + "index.html");
            return;
        }
        switch (path.get(0)) {
            case "connectors", "connector-plugins" -> connect.handle(ex, path, query);
            case "events" -> events(ex);
            case "api" -> api(ex, path, query);
            case "webjars" -> resource(ex, WEBJARS + String.join("/", path.subList(1, path.size())));
            default -> {
                if (path.size() != 1) {
                    throw new RestError(404, "no such resource: " + ex.getRequestURI().getPath());
                }
                resource(ex, WEB + path.get(0));
            }
        }
    }

    private void api(HttpExchange ex, List<String> path, Map<String, String> query) throws IOException {
        String what = path.size() == 2 ? path.get(1) : "";
        switch (what) {
            case "jobs" -> Http.json(ex, 200, grid.jobs());
            case "members" -> Http.json(ex, 200, grid.members());
            case "history" -> {
                long from;
                try {
                    from = Long.parseLong(query.getOrDefault("from", "0"));
                } catch (NumberFormatException e) {
                    throw new RestError(400, "from is epoch milliseconds, was '" + query.get("from") + "'");
                }
                Http.json(ex, 200, grid.history(query.get("kind"), query.get("id"), query.get("tier"), from));
            }
            default -> throw new RestError(404, "no such resource: " + ex.getRequestURI().getPath());
        }
    }

    /** Server-sent events: the snapshot, then every change, until the page goes or falls too far behind. */
    private void events(HttpExchange ex) throws IOException {
        if (browsers.incrementAndGet() > settings.get(ConsoleSettings.MAX_BROWSERS)) {
            browsers.decrementAndGet();
            throw new RestError(503, "already serving " + settings.get(ConsoleSettings.MAX_BROWSERS)
                    + " live pages (console.max.browsers)");
        }
        LiveFeed.Page page = feed.open();
        try {
            // Closing may wait on the browser (a last chunk to write): never on the listener that drops the page.
            page.onDrop(() -> threads.execute(ex::close));
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            // The browser reconnects by itself after this many milliseconds when the stream ends.
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!page.dropped()) {
                String frame = page.next(KEEPALIVE_MILLIS);
                out.write((frame == null ? ": keepalive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // The page closed, or it was dropped and its connection closed under the write.
        } finally {
            feed.close(page);
            browsers.decrementAndGet();
            ex.close();
        }
    }

    private static void resource(HttpExchange ex, String name) throws IOException {
        if (name.contains("..") || name.endsWith("/")) {
            throw new RestError(404, "no such resource: " + ex.getRequestURI().getPath());
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        InputStream in = type == null ? null : ConsoleServer.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new RestError(404, "no such resource: " + ex.getRequestURI().getPath());
        }
        byte[] bytes;
        try (in) {
            bytes = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        Http.send(ex, 200, type, bytes);
    }

    /**
     * Refuses a mutating request without the configured credentials: {@code Authorization: Bearer <token>} or
     * basic authentication. Compared in constant time.
     */
    private void authenticate(HttpExchange ex) {
        if (!settings.authenticates()) {
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String token = settings.get(ConsoleSettings.API_TOKEN);
        String user = settings.get(ConsoleSettings.BASIC_USER);
        if (header != null) {
            if (token != null && header.startsWith("Bearer ") && same(header.substring(7).trim(), token)) {
                return;
            }
            if (user != null && header.startsWith("Basic ")) {
                String expected = user + ':' + settings.get(ConsoleSettings.BASIC_PASSWORD);
                try {
                    String given = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                            StandardCharsets.UTF_8);
                    if (same(given, expected)) {
                        return;
                    }
                } catch (IllegalArgumentException notBase64) {
                    // refused below
                }
            }
        }
        throw new RestError(401, "this call changes the grid and needs credentials: "
                + (token != null ? "Authorization: Bearer <console.api.token>" : "")
                + (token != null && user != null ? " or " : "")
                + (user != null ? "HTTP basic authentication" : ""));
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
