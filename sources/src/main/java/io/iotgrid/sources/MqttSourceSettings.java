package io.iotgrid.sources;

import io.iotgrid.coap.impl.KeyMaterial;
import io.iotgrid.core.MqttBrokerUri;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.sources.impl.TopicTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What {@link MqttSources} subscribes to and how, the {@code mqtt.*} keys. Immutable; each value is checked when
 * set, the combinations when built, and a bad one fails with a message that names its key. TLS files are read when
 * the settings are built and travel with the job, so the members need none of them.
 * <pre>{@code
 * MqttSourceSettings s = MqttSourceSettings.builder()
 *         .set(MqttSourceSettings.BROKER, "mqtt://10.0.0.5:1883")
 *         .set(MqttSourceSettings.TOPICS, List.of("plant/+/sensors/#"))
 *         .set(MqttSourceSettings.TOPIC_TEMPLATE, "plant/{placeId}/sensors/{sensorId}")
 *         .build();
 * }</pre>
 */
public final class MqttSourceSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every setting of the MQTT source. */
    public static final SettingGroup GROUP = new SettingGroup("MQTT source");

    /** {@value #MQTT_5} in {@link #PROTOCOL}. */
    public static final String MQTT_5 = "5";
    /** {@value #MQTT_3_1_1} in {@link #PROTOCOL}. */
    public static final String MQTT_3_1_1 = "3.1.1";

    public static final Setting<String> BROKER = GROUP.add(Setting.string("mqtt.broker", null,
            "the broker, `mqtt://host:port` (default port 1883) or `mqtts://host:port` for TLS (default port 8883); "
                    + "`tcp://` and `ssl://` are read as these")
            .require(b -> MqttBrokerUri.isValid(b, true), "mqtt://host:port or mqtts://host:port"));
    public static final Setting<List<String>> TOPICS = GROUP.add(Setting.list("mqtt.topics", null,
            "topic filters to subscribe to, comma-separated; `+` matches one level, `#` the rest")
            .require(l -> !l.isEmpty(), "at least one topic filter")
            .require(l -> l.stream().allMatch(MqttSourceSettings::isTopicFilter),
                    "valid topic filters (`+` a whole level, `#` only last, no `$share/` prefix: see "
                            + "mqtt.shared.group)"));
    public static final Setting<Integer> QOS = GROUP.add(Setting.integer("mqtt.qos", 1,
            "the subscriptions' maximum QoS: 0 at most once; 1 and 2 at least once, acknowledged to the broker only "
                    + "after the Jet snapshot that holds the message (docs/sources.md, MQTT source)")
            .require(q -> q >= 0 && q <= 2, "0, 1 or 2"));
    public static final Setting<String> PROTOCOL = GROUP.add(Setting.string("mqtt.protocol", MQTT_5,
            "`5` (MQTT 5, shared subscriptions spread over the cluster) or `3.1.1` (one subscriber in the cluster)")
            .require(v -> v.equals(MQTT_5) || v.equals(MQTT_3_1_1), "5 or 3.1.1"));
    public static final Setting<String> SHARED_GROUP = GROUP.add(Setting.string("mqtt.shared.group", "iot-grid",
            "MQTT 5 shared subscription group: each filter is subscribed as `$share/<group>/<filter>` by every "
                    + "session, so the broker spreads the messages over them; `none` for one plain subscriber in the "
                    + "cluster (required with `mqtt.protocol=3.1.1`)")
            .require(g -> !g.contains("/") && !g.contains("+") && !g.contains("#"), "free of /, + and #")
            .orNone());
    public static final Setting<Integer> SESSIONS = GROUP.add(Setting.integer("mqtt.sessions", 2,
            "MQTT sessions (clients, each with its own client id) in the whole cluster, spread over the source's "
                    + "processors; fixed, so that a job restarted on more or fewer members resumes every session and "
                    + "the messages they hold; 1 when `mqtt.shared.group` is none")
            .require(n -> n >= 1 && n <= 1024, "between 1 and 1024"));
    public static final Setting<Integer> LOCAL_PARALLELISM = GROUP.add(Setting.integer("mqtt.local.parallelism", 1,
            "source processors per member when subscriptions are shared (one in the cluster otherwise)")
            .require(n -> n >= 1, "at least 1"));
    public static final Setting<String> CLIENT_ID = GROUP.add(Setting.string("mqtt.client.id", null,
            "prefix of the client ids, each session's being `<prefix>-<n>`; by default one made of the job id and the "
                    + "source's name, which a resubmitted job does not share: set it to resume the sessions of an "
                    + "earlier job")
            .require(MqttSourceSettings::isClientIdPrefix, "free of /, + and #").optional());
    public static final Setting<Duration> SESSION_EXPIRY = GROUP.add(Setting.duration("mqtt.session.expiry",
            Duration.ofHours(1), "with QoS 1 or 2, how long the broker keeps a session and its queued messages while "
                    + "its client is away (MQTT 5; a 3.1.1 broker's own setting applies)")
            .require(d -> d.toSeconds() >= 1 && d.toSeconds() <= 0xFFFF_FFFEL, "between 1s and about 136 years"));
    public static final Setting<Duration> KEEP_ALIVE = GROUP.add(Setting.duration("mqtt.keep.alive",
            Duration.ofSeconds(60), "MQTT keep alive: a broker silent for 1.5 times this is taken as lost")
            .require(d -> d.toSeconds() >= 1 && d.toSeconds() <= 65_535, "between 1s and 65535s"));
    public static final Setting<Duration> CONNECT_TIMEOUT = GROUP.add(Setting.duration("mqtt.connect.timeout",
            Duration.ofSeconds(10), "how long a TCP connect and then the broker's CONNACK may take")
            .require(d -> d.toMillis() >= 1 && d.toMillis() <= Integer.MAX_VALUE, "between 1ms and 24 days"));
    public static final Setting<Duration> RECONNECT_INITIAL_BACKOFF = GROUP.add(Setting.duration(
            "mqtt.reconnect.initial.backoff", Duration.ofSeconds(1), "delay before reconnecting after a lost "
                    + "connection or a refused connect; doubles with every failed attempt")
            .require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<Duration> RECONNECT_MAX_BACKOFF = GROUP.add(Setting.duration(
            "mqtt.reconnect.max.backoff", Duration.ofSeconds(30), "the most the reconnect delay grows to; "
                    + "reconnecting never stops, except after a refused credential or certificate")
            .require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<String> USERNAME = GROUP.add(Setting.string("mqtt.username", null,
            "user name sent in CONNECT; none by default").optional());
    public static final Setting<String> PASSWORD = GROUP.add(Setting.string("mqtt.password", null,
            "password sent in CONNECT, with `mqtt.username`").optional().secret());
    /** Trusted CA certificates, base64 DER, read from the PEM file the key names. */
    public static final Setting<List<String>> TLS_CA = GROUP.add(Setting.<List<String>>of("mqtt.tls.ca.file",
            "the path of a PEM file of certificates", null,
            file -> KeyMaterial.encode(KeyMaterial.readCertificates("mqtt.tls.ca.file", Path.of(file))),
            certs -> "(certificates)", "`mqtts://`: the CA certificates that signed the broker's (PEM); the JVM's "
                    + "trusted CAs by default").optional());
    /** The client's certificate chain, base64 DER, read from the PEM file the key names. */
    public static final Setting<List<String>> TLS_CERT = GROUP.add(Setting.<List<String>>of("mqtt.tls.cert.file",
            "the path of a PEM file of certificates", null,
            file -> KeyMaterial.encode(KeyMaterial.readCertificates("mqtt.tls.cert.file", Path.of(file))),
            certs -> "(certificates)", "`mqtts://`: the client's certificate chain (PEM), with "
                    + "`mqtt.tls.key.file`; none by default").optional());
    /** The client's private key, base64 PKCS#8, read from the PEM file the key names. */
    public static final Setting<String> TLS_KEY = GROUP.add(Setting.of("mqtt.tls.key.file",
            "the path of a PEM private key", null,
            file -> KeyMaterial.encode(KeyMaterial.readPrivateKey("mqtt.tls.key.file", Path.of(file))),
            key -> "(private key)", "`mqtts://`: the client's private key (PEM), with `mqtt.tls.cert.file`")
            .optional());
    public static final Setting<String> TOPIC_TEMPLATE = GROUP.add(Setting.string("mqtt.topic.template", null,
            "where the ids are in the topic, e.g. `plant/{placeId}/sensors/{sensorId}` (`+` any one level, `#` "
                    + "the rest); they replace the payload's. None: ids from the payload")
            .require(TopicTemplate::isValid, "levels that are text, {sensorId}, {placeId}, + or a last #, with "
                    + "{sensorId} at most once and {placeId} at most once").optional());
    public static final Setting<Integer> CONTENT_TYPE = GROUP.add(Setting.of("mqtt.content.type",
            "json, cbor or text", ReadingParser.JSON, MqttSourceSettings::contentFormat,
            MqttSourceSettings::contentTypeName, "how to read a payload whose message has no MQTT 5 content type "
                    + "(`application/json`, `application/cbor`, `text/plain`)"));
    /**
     * {@link PayloadLimit#MAX_BYTES}: {@link MqttSources#readings} makes a larger message a dead letter instead of
     * parsing it.
     */
    public static final Setting<Integer> MAX_PAYLOAD_BYTES = GROUP.add(PayloadLimit.MAX_BYTES);
    public static final Setting<Integer> QUEUE_CAPACITY = GROUP.add(Setting.integer("mqtt.queue.capacity", 10_000,
            "QoS 0 messages held per processor between the client and the job; more are dropped and counted")
            .require(n -> n >= 1, "at least 1"));
    public static final Setting<Integer> RECEIVE_MAXIMUM = GROUP.add(Setting.integer("mqtt.receive.maximum", 65_535,
            "MQTT 5 Receive Maximum: QoS 1 and 2 messages a session holds unacknowledged (queued, or emitted and "
                    + "waiting for the snapshot); the broker sends no more until some are acknowledged")
            .require(n -> n >= 1 && n <= 65_535, "between 1 and 65535"));

    private MqttSourceSettings(Builder builder) {
        super(builder);
    }

    /** A builder with every setting at its default; {@link #BROKER} and {@link #TOPICS} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Anonymous QoS 1 subscriptions to {@code topicFilters} at {@code broker}, everything else at its default. */
    public static MqttSourceSettings of(String broker, String... topicFilters) {
        return builder().set(BROKER, broker).set(TOPICS, List.of(topicFilters)).build();
    }

    /** Settings from properties with the keys of {@link #GROUP}; TLS files are read now. */
    public static MqttSourceSettings fromProperties(Properties properties) {
        return builder().read(SettingsReader.of(properties)).build();
    }

    /** {@link #BROKER}, as configured. */
    public String broker() {
        return get(BROKER);
    }

    /** The broker's host. */
    public String host() {
        return MqttBrokerUri.parse(broker()).host();
    }

    /** The broker's port, the scheme's default when the URI has none. */
    public int port() {
        return MqttBrokerUri.parse(broker()).port();
    }

    /** Whether the broker is reached over TLS ({@code mqtts://}). */
    public boolean tls() {
        return MqttBrokerUri.parse(broker()).tls();
    }

    /** {@code mqtt://host:port} or {@code mqtts://host:port}: how logs, metrics and records name the broker. */
    public String brokerName() {
        return MqttBrokerUri.parse(broker()).name();
    }

    /** {@link #TOPICS}. */
    public List<String> topics() {
        return get(TOPICS);
    }

    /** {@link #QOS}. */
    public int qos() {
        return get(QOS);
    }

    /** Whether {@link #PROTOCOL} is MQTT 5. */
    public boolean mqtt5() {
        return get(PROTOCOL).equals(MQTT_5);
    }

    /** {@link #SHARED_GROUP}; {@code null} for one plain subscriber in the cluster. */
    public String sharedGroup() {
        return get(SHARED_GROUP);
    }

    /** {@link #SESSIONS}. */
    public int sessions() {
        return get(SESSIONS);
    }

    /** {@link #LOCAL_PARALLELISM}. */
    public int localParallelism() {
        return get(LOCAL_PARALLELISM);
    }

    /** {@link #CLIENT_ID}; {@code null} for one made of the job id and the source's name. */
    public String clientId() {
        return get(CLIENT_ID);
    }

    /** {@link #SESSION_EXPIRY}. */
    public Duration sessionExpiry() {
        return get(SESSION_EXPIRY);
    }

    /** {@link #KEEP_ALIVE}. */
    public Duration keepAlive() {
        return get(KEEP_ALIVE);
    }

    /** {@link #CONNECT_TIMEOUT}. */
    public Duration connectTimeout() {
        return get(CONNECT_TIMEOUT);
    }

    /** {@link #RECONNECT_INITIAL_BACKOFF}. */
    public Duration reconnectInitialBackoff() {
        return get(RECONNECT_INITIAL_BACKOFF);
    }

    /** {@link #RECONNECT_MAX_BACKOFF}. */
    public Duration reconnectMaxBackoff() {
        return get(RECONNECT_MAX_BACKOFF);
    }

    /** {@link #USERNAME}; {@code null} when none. */
    public String username() {
        return get(USERNAME);
    }

    /** {@link #PASSWORD}; {@code null} when none. */
    public String password() {
        return get(PASSWORD);
    }

    /** {@link #TLS_CA}: base64 DER certificates; {@code null} for the JVM's trusted CAs. */
    public List<String> tlsCa() {
        return get(TLS_CA);
    }

    /** {@link #TLS_CERT}: base64 DER certificates; {@code null} when the client shows none. */
    public List<String> tlsCert() {
        return get(TLS_CERT);
    }

    /** {@link #TLS_KEY}: base64 PKCS#8; {@code null} when the client shows no certificate. */
    public String tlsKey() {
        return get(TLS_KEY);
    }

    /** {@link #TOPIC_TEMPLATE}; {@code null} when the ids come from the payload. */
    public String topicTemplate() {
        return get(TOPIC_TEMPLATE);
    }

    /** {@link #CONTENT_TYPE}, as a CoAP Content-Format number ({@link ReadingParser#JSON} and so on). */
    public int contentType() {
        return get(CONTENT_TYPE);
    }

    /** {@link #MAX_PAYLOAD_BYTES}. */
    public int maxPayloadBytes() {
        return get(MAX_PAYLOAD_BYTES);
    }

    /** {@link #QUEUE_CAPACITY}. */
    public int queueCapacity() {
        return get(QUEUE_CAPACITY);
    }

    /** {@link #RECEIVE_MAXIMUM}. */
    public int receiveMaximum() {
        return get(RECEIVE_MAXIMUM);
    }

    static boolean isTopicFilter(String filter) {
        if (filter.isEmpty() || filter.startsWith("$share/") || filter.indexOf('\0') >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isClientIdPrefix(String prefix) {
        return !prefix.contains("/") && !prefix.contains("+") && !prefix.contains("#");
    }

    private static int contentFormat(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "json" -> ReadingParser.JSON;
            case "cbor" -> ReadingParser.CBOR;
            case "text" -> ReadingParser.TEXT;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String contentTypeName(int contentFormat) {
        return switch (contentFormat) {
            case ReadingParser.CBOR -> "cbor";
            case ReadingParser.TEXT -> "text";
            default -> "json";
        };
    }

    /** Builds {@link MqttSourceSettings}; {@link #build()} checks the combinations. */
    public static final class Builder extends SettingsBuilder<MqttSourceSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(MqttSourceSettings from) {
            super(GROUP, from);
        }

        /** Sets {@link #TLS_CA}, {@link #TLS_CERT} and {@link #TLS_KEY} from PEM files; {@code null} leaves one out. */
        public Builder tlsFiles(Path caFile, Path certFile, Path keyFile) {
            set(TLS_CA, caFile == null ? null : TLS_CA.parse(caFile.toString()));
            set(TLS_CERT, certFile == null ? null : TLS_CERT.parse(certFile.toString()));
            return set(TLS_KEY, keyFile == null ? null : TLS_KEY.parse(keyFile.toString()));
        }

        @Override
        protected void sanityCheck() {
            boolean v5 = get(PROTOCOL).equals(MQTT_5);
            String group = get(SHARED_GROUP);
            if (!v5 && group != null) {
                throw new IllegalArgumentException(PROTOCOL.key() + " " + MQTT_3_1_1 + " has no shared subscriptions: "
                        + "set " + SHARED_GROUP.key() + "=none (one subscriber in the cluster), was '" + group + "'");
            }
            if (group == null && get(SESSIONS) != 1) {
                throw new IllegalArgumentException(SESSIONS.key() + " must be 1 when " + SHARED_GROUP.key()
                        + " is none (a plain subscription has one subscriber in the cluster), was " + get(SESSIONS));
            }
            if ((get(TLS_CERT) == null) != (get(TLS_KEY) == null)) {
                throw new IllegalArgumentException(TLS_CERT.key() + " and " + TLS_KEY.key()
                        + " go together: set both or neither");
            }
            boolean tls = MqttBrokerUri.parse(get(BROKER)).tls();
            if (!tls && (get(TLS_CA) != null || get(TLS_CERT) != null)) {
                throw new IllegalArgumentException(TLS_CA.key() + ", " + TLS_CERT.key() + " and " + TLS_KEY.key()
                        + " need an mqtts:// " + BROKER.key() + ", was '" + get(BROKER) + "'");
            }
            if (get(PASSWORD) != null && get(USERNAME) == null) {
                throw new IllegalArgumentException(PASSWORD.key() + " needs " + USERNAME.key());
            }
            if (get(RECONNECT_MAX_BACKOFF).compareTo(get(RECONNECT_INITIAL_BACKOFF)) < 0) {
                throw new IllegalArgumentException(RECONNECT_MAX_BACKOFF.key() + " must not be below "
                        + RECONNECT_INITIAL_BACKOFF.key() + ", was " + RECONNECT_MAX_BACKOFF.format(
                        get(RECONNECT_MAX_BACKOFF)) + " < " + RECONNECT_INITIAL_BACKOFF.format(
                        get(RECONNECT_INITIAL_BACKOFF)));
            }
        }

        @Override
        protected MqttSourceSettings create() {
            return new MqttSourceSettings(this);
        }
    }
}
