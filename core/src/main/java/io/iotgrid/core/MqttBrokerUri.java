package io.iotgrid.core;

import java.net.URI;
import java.util.Locale;

/**
 * An MQTT broker's address as users write it: {@code mqtt://host[:port]} ({@code tcp://} alike, port 1883 by
 * default) or {@code mqtts://host[:port]} ({@code ssl://} alike, port 8883), with no path but {@code /} and no query.
 * The MQTT source, sink and simulator all read their broker setting through it, so that they agree on what is valid.
 *
 * @param host the broker's host name or address
 * @param port the broker's port
 * @param tls  whether the broker is reached over TLS
 */
public record MqttBrokerUri(String host, int port, boolean tls) {

    /**
     * The broker {@code text} names.
     *
     * @throws IllegalArgumentException when {@code text} is not an MQTT broker URI
     */
    public static MqttBrokerUri parse(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an MQTT broker URI: '" + text + "'", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("mqtts") || scheme.equals("ssl");
        boolean plain = scheme.equals("mqtt") || scheme.equals("tcp");
        String path = uri.getPath();
        if (!(tls || plain) || uri.getHost() == null || uri.getQuery() != null
                || !(path == null || path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException("not an MQTT broker URI (mqtt://host:port or mqtts://host:port): '"
                    + text + "'");
        }
        return new MqttBrokerUri(uri.getHost(), uri.getPort() != -1 ? uri.getPort() : tls ? 8883 : 1883, tls);
    }

    /** Whether {@code text} is a broker URI, over TLS only when {@code tlsAllowed}: a setting's check. */
    public static boolean isValid(String text, boolean tlsAllowed) {
        try {
            boolean tls = parse(text).tls();
            return tlsAllowed || !tls;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code mqtt://host:port} or {@code mqtts://host:port}: how logs, metrics and records name the broker. */
    public String name() {
        return (tls ? "mqtts://" : "mqtt://") + host + ':' + port;
    }
}
