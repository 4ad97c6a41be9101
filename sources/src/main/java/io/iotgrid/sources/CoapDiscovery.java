package io.iotgrid.sources;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.sources.impl.CoapUris;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Resources to observe that a server lists in its {@code /.well-known/core} (RFC 6690), filtered by path and
 * attributes.
 * <pre>{@code
 * CoapDiscovery.of("coap://10.0.0.5:5683", "/sensors/*").withResourceType("temperature")
 * }</pre>
 * The path glob matches the whole path: {@code *} any characters but {@code /}, {@code **} any characters,
 * {@code ?} one character but {@code /}; everything else literally. In properties and job-jar arguments a discovery
 * is given by the keys of {@link #GROUP}, and each value is checked by its definition there, so a bad one fails
 * naming its key.
 *
 * @param server         {@code coap://host[:port]} or {@code coaps://host[:port]}, without path ({@link #SERVERS})
 * @param pathGlob       which paths to take ({@link #PATH_GLOB}); default all
 * @param observableOnly take only links with the {@code obs} attribute ({@link #OBSERVABLE_ONLY}); default
 *                       {@code true}
 * @param resourceType   take only links whose {@code rt} attribute lists this value ({@link #RESOURCE_TYPE});
 *                       {@code null} (default) for any
 */
public record CoapDiscovery(String server, String pathGlob, boolean observableOnly, String resourceType)
        implements Serializable {

    /** The keys of discoveries: one per server of {@link #SERVERS}, each with the same filters. */
    public static final SettingGroup GROUP = new SettingGroup("CoAP discovery");

    public static final Setting<List<String>> SERVERS = GROUP.add(Setting.list("coap.discover", List.of(),
            "`coap://host[:port]` or `coaps://...` servers, comma-separated, whose `/.well-known/core` lists more "
                    + "resources to observe")
            .require(CoapUris::wellFormed, "valid URIs")
            .require(CoapUris.each(CoapUris::coapScheme), "coap:// or coaps:// URIs")
            .require(CoapUris.each(uri -> uri.getHost() != null), "URIs that name a host")
            .require(CoapUris.each(uri -> (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                            || uri.getRawPath().equals("/")) && uri.getRawQuery() == null
                            && uri.getRawFragment() == null),
                    "URIs without path, query or fragment (the path is /.well-known/core)"));
    public static final Setting<String> PATH_GLOB = GROUP.add(Setting.string("coap.discover.glob", "/**",
            "paths to take from the servers' links: `*` any characters but `/`, `**` any, `?` one")
            .require(glob -> glob.startsWith("/"), "a path pattern starting with /"));
    public static final Setting<Boolean> OBSERVABLE_ONLY = GROUP.add(Setting.bool("coap.discover.observable.only",
            true, "only links with `obs` (`false`: every link)"));
    public static final Setting<String> RESOURCE_TYPE = GROUP.add(Setting.string("coap.discover.resource.type", null,
            "only links whose `rt` lists this value; not set: any").optional());

    public CoapDiscovery {
        SERVERS.check(Collections.singletonList(server));
        PATH_GLOB.check(pathGlob);
        RESOURCE_TYPE.check(resourceType);
        server = stripSlash(server);
    }

    /** Observable resources of {@code server} whose path matches {@code pathGlob}, of any resource type. */
    public static CoapDiscovery of(String server, String pathGlob) {
        return new CoapDiscovery(server, pathGlob, OBSERVABLE_ONLY.defaultValue(), RESOURCE_TYPE.defaultValue());
    }

    /** Every observable resource of {@code server}. */
    public static CoapDiscovery of(String server) {
        return of(server, PATH_GLOB.defaultValue());
    }

    /**
     * The discoveries the keys of {@link #GROUP} give: one per server, each with the filters given.
     *
     * @throws IllegalArgumentException naming the key, when a value is bad or a filter is given without servers
     */
    public static List<CoapDiscovery> read(SettingsReader keys) {
        List<String> servers = keys.get(SERVERS);
        if (servers.isEmpty()) {
            GROUP.settings().stream().filter(keys::has).findFirst().ifPresent(s -> {
                throw new IllegalArgumentException(s.key() + " applies only with " + SERVERS.key());
            });
        }
        String glob = keys.get(PATH_GLOB);
        boolean observableOnly = keys.get(OBSERVABLE_ONLY);
        String resourceType = keys.get(RESOURCE_TYPE);
        return servers.stream().map(server -> new CoapDiscovery(server, glob, observableOnly, resourceType)).toList();
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
