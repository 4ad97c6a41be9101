package io.iotgrid.sinks;

import io.iotgrid.core.MqttBrokerUri;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;

/**
 * Where and how an {@link MqttSinks} sink publishes, and what it does with publishes that fail. Each setting is
 * declared once below (key, default, check, meaning); the README's option table lists the same. A bad value fails
 * with a message that names its key and the value.
 * <pre>{@code
 * MqttSinkSettings settings = MqttSinkSettings.builder()
 *         .set(MqttSinkSettings.BROKER, "mqtt://10.0.0.7:1883")
 *         .set(MqttSinkSettings.QOS, 1)
 *         .set(MqttSinkSettings.RETAIN, true)
 *         .set(MqttSinkSettings.ERROR_POLICY, ErrorPolicy.RETRY)
 *         .build();
 * }</pre>
 */
public final class MqttSinkSettings extends ErrorHandlingSettings {

    private static final long serialVersionUID = 1L;

    /** Largest {@link #MAX_IN_FLIGHT}: MQTT has 65 535 packet identifiers per connection. */
    public static final int MAX_IN_FLIGHT_LIMIT = 65_535;

    /** Every setting of an MQTT sink. */
    public static final SettingGroup GROUP = new SettingGroup("MQTT sink");

    public static final Setting<String> BROKER = GROUP.add(Setting.string("broker", "mqtt://localhost:1883",
            "the broker, `mqtt://host:port` (default port 1883; `tcp://` is read as this); the sink speaks MQTT 5 "
                    + "over plain TCP").require(b -> MqttBrokerUri.isValid(b, false), "mqtt://host:port"));
    public static final Setting<Integer> QOS = GROUP.add(Setting.integer("qos", 1,
            "QoS of every publish: `0` at most once (a broker crash loses what it had not forwarded), `1` at least "
                    + "once (the sink waits for each PUBACK), `2` exactly once between sink and broker")
            .require(q -> q >= 0 && q <= 2, "0, 1 or 2"));
    public static final Setting<Boolean> RETAIN = GROUP.add(Setting.bool("retain", false,
            "publish retained: the broker keeps the last item per topic and hands it to every later subscriber"));
    public static final Setting<String> CLIENT_ID = GROUP.add(Setting.string("client.id", null,
            "client id of the sink's connections; each processor appends `-<its global index>`; not set: "
                    + "`iot-grid-sink-<job id>`").optional());
    public static final Setting<String> USERNAME = GROUP.add(Setting.string("username", null,
            "user name sent in CONNECT; not set: none").optional());
    public static final Setting<String> PASSWORD = GROUP.add(Setting.string("password", null,
            "password sent in CONNECT, with `username`; not set: none").optional().secret());
    public static final Setting<Duration> SESSION_EXPIRY = GROUP.add(Setting.duration("session.expiry",
            Duration.ofMinutes(5), "how long the broker keeps the sink's session after its connection dropped; "
                    + "unacknowledged QoS 1 and 2 publishes are sent again on the resumed session (and published "
                    + "anew when the broker lost it)")
            .require(d -> d.toSeconds() >= 1 && d.toSeconds() <= 0xFFFF_FFFEL, "between 1s and 136 years"));
    public static final Setting<Duration> RECONNECT_INITIAL_BACKOFF = GROUP.add(Setting.duration(
            "reconnect.initial.backoff", Duration.ofSeconds(1), "delay before connecting again after a lost "
                    + "connection or a refused first connect; doubles with every failed attempt")
            .require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<Duration> RECONNECT_MAX_BACKOFF = GROUP.add(Setting.duration(
            "reconnect.max.backoff", Duration.ofSeconds(30), "the most the reconnect delay grows to; reconnecting "
                    + "never stops, except after refused credentials").require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<Integer> MAX_IN_FLIGHT = GROUP.add(Setting.integer("max.in.flight", 1024,
            "items a processor holds: published and not yet acknowledged, waiting for a retry or being "
                    + "dead-lettered; it takes no more input meanwhile, which back-pressures the job; 1 to "
                    + MAX_IN_FLIGHT_LIMIT)
            .require(n -> n >= 1 && n <= MAX_IN_FLIGHT_LIMIT, "between 1 and " + MAX_IN_FLIGHT_LIMIT));
    public static final Setting<ErrorPolicy> ERROR_POLICY = GROUP.add(ErrorHandlingSettings.ERROR_POLICY);
    public static final Setting<Integer> MAX_RETRIES = GROUP.add(ErrorHandlingSettings.MAX_RETRIES);
    public static final Setting<Duration> RETRY_INTERVAL = GROUP.add(ErrorHandlingSettings.RETRY_INTERVAL);
    public static final Setting<String> DEAD_LETTERS_MAP = GROUP.add(ErrorHandlingSettings.DEAD_LETTERS_MAP);

    private MqttSinkSettings(Builder builder) {
        super(builder);
    }

    /** Every setting at its default. */
    public static MqttSinkSettings defaults() {
        return builder().build();
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #BROKER}, as configured. */
    public String broker() {
        return get(BROKER);
    }

    /** The broker's host. */
    public String host() {
        return MqttBrokerUri.parse(broker()).host();
    }

    /** The broker's port, 1883 when the URI has none. */
    public int port() {
        return MqttBrokerUri.parse(broker()).port();
    }

    /** {@code mqtt://host:port}: how logs and messages name the broker. */
    public String brokerName() {
        return MqttBrokerUri.parse(broker()).name();
    }

    /** {@link #QOS}. */
    public int qos() {
        return get(QOS);
    }

    /** {@link #RETAIN}. */
    public boolean retain() {
        return get(RETAIN);
    }

    /** {@link #CLIENT_ID}; {@code null} for the default. */
    public String clientId() {
        return get(CLIENT_ID);
    }

    /** {@link #USERNAME}; {@code null} for none. */
    public String username() {
        return get(USERNAME);
    }

    /** {@link #PASSWORD}; {@code null} for none. */
    public String password() {
        return get(PASSWORD);
    }

    /** {@link #SESSION_EXPIRY}. */
    public Duration sessionExpiry() {
        return get(SESSION_EXPIRY);
    }

    /** {@link #RECONNECT_INITIAL_BACKOFF}. */
    public Duration reconnectInitialBackoff() {
        return get(RECONNECT_INITIAL_BACKOFF);
    }

    /** {@link #RECONNECT_MAX_BACKOFF}. */
    public Duration reconnectMaxBackoff() {
        return get(RECONNECT_MAX_BACKOFF);
    }

    /** {@link #MAX_IN_FLIGHT}. */
    public int maxInFlight() {
        return get(MAX_IN_FLIGHT);
    }

    /**
     * Builds {@link MqttSinkSettings}; {@link #build()} rejects a password without a user name and a
     * {@link #RECONNECT_MAX_BACKOFF} below {@link #RECONNECT_INITIAL_BACKOFF}.
     */
    public static final class Builder extends SettingsBuilder<MqttSinkSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(MqttSinkSettings from) {
            super(GROUP, from);
        }

        @Override
        protected void sanityCheck() {
            if (get(PASSWORD) != null && get(USERNAME) == null) {
                throw new IllegalArgumentException(PASSWORD.key() + " is set but " + USERNAME.key()
                        + " is not: MQTT sends a password only with a user name");
            }
            if (get(RECONNECT_MAX_BACKOFF).compareTo(get(RECONNECT_INITIAL_BACKOFF)) < 0) {
                throw new IllegalArgumentException(RECONNECT_MAX_BACKOFF.key() + " must not be below "
                        + RECONNECT_INITIAL_BACKOFF.key() + ", was " + RECONNECT_MAX_BACKOFF.format(
                        get(RECONNECT_MAX_BACKOFF)) + " < " + RECONNECT_INITIAL_BACKOFF.format(
                        get(RECONNECT_INITIAL_BACKOFF)));
            }
        }

        @Override
        protected MqttSinkSettings create() {
            return new MqttSinkSettings(this);
        }
    }
}
