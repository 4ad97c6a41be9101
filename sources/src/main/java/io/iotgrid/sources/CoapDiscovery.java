package io.iotgrid.sources;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Resources to observe that a server lists in its {@code /.well-known/core} (RFC 6690), filtered by path and
 * attributes.
 * <pre>{@code
 * CoapDiscovery.of("coap://10.0.0.5:5683", "/sensors/*").withResourceType("temperature")
 * }</pre>
 * The path glob matches the whole path: {@code *} any characters but {@code /}, {@code **} any characters,
 * {@code ?} one character but {@code /}; everything else literally.
 *
 * @param server         {@code coap://host[:port]} or {@code coaps://host[:port]}, without path
 * @param pathGlob       which paths to take; default {@value #DEFAULT_PATH_GLOB} (all)
 * @param observableOnly take only links with the {@code obs} attribute; default {@code true}
 * @param resourceType   take only links whose {@code rt} attribute lists this value; {@code null} (default) for any
 */
public record CoapDiscovery(String server, String pathGlob, boolean observableOnly, String resourceType)
        implements Serializable {

    /** Default {@link #pathGlob()}: every path. */
    public static final String DEFAULT_PATH_GLOB = "/**";

    public CoapDiscovery {
        URI uri;
        try {
            uri = new URI(server == null ? "" : server);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("discovery server has an invalid URI '" + server + "': "
                    + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("coap") && !scheme.equals("coaps")) {
            throw new IllegalArgumentException("discovery server must be a coap:// or coaps:// URI, was '" + server
                    + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("discovery server must name a host, was '" + server + "'");
        }
        if (!(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("discovery server must have no path, query or fragment (the path "
                    + "is /.well-known/core), was '" + server + "'");
        }
        if (pathGlob == null || !pathGlob.startsWith("/")) {
            throw new IllegalArgumentException("discovery pathGlob must start with '/', was '" + pathGlob + "'");
        }
        if (resourceType != null && resourceType.isBlank()) {
            throw new IllegalArgumentException("discovery resourceType must be null (any) or a value, was '"
                    + resourceType + "'");
        }
        server = stripSlash(server);
    }

    /** Observable resources of {@code server} whose path matches {@code pathGlob}, of any resource type. */
    public static CoapDiscovery of(String server, String pathGlob) {
        return new CoapDiscovery(server, pathGlob, true, null);
    }

    /** Every observable resource of {@code server}. */
    public static CoapDiscovery of(String server) {
        return of(server, DEFAULT_PATH_GLOB);
    }

    /** A copy that also takes links without the {@code obs} attribute ({@code false}) or only those with it. */
    public CoapDiscovery withObservableOnly(boolean observableOnly) {
        return new CoapDiscovery(server, pathGlob, observableOnly, resourceType);
    }

    /** A copy that takes only links whose {@code rt} lists {@code resourceType}; {@code null} for any. */
    public CoapDiscovery withResourceType(String resourceType) {
        return new CoapDiscovery(server, pathGlob, observableOnly, resourceType);
    }

    /** Whether {@code path} matches {@link #pathGlob()}. */
    public boolean matchesPath(String path) {
        return globRegex(pathGlob).matcher(path).matches();
    }

    static Pattern globRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String stripSlash(String server) {
        return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }
}
