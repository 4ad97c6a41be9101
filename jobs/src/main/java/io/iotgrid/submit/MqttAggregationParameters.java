package io.iotgrid.submit;

import com.hazelcast.jet.config.JobConfig;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.jobs.AggregationJob;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.kcql.KcqlSubscription;
import io.iotgrid.sources.MqttSourceSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What {@link MqttAggregationSubmit} submits: the keys of {@link MqttSourceSettings#GROUP} ({@code mqtt.*}) for the
 * source, of {@link AggregationSettings#GROUP} for the aggregation and of {@link #JOB} ({@code job.*}) for the job;
 * and, for users of stream-reactor's MQTT source connector, its {@code connect.mqtt.*} keys ({@link #CONNECT_MQTT}),
 * mapped to the source's settings under the keys they wrote, so an error names the key in their file. A
 * {@code connect.mqtt.*} key sets the setting it maps to; an {@code mqtt.*} key given as well wins. Keys the old
 * connector defined that change nothing here, and Kafka Connect's own keys ({@code connector.class},
 * {@code tasks.max}, converters), are accepted and listed in {@link #warnings()}, one sentence each saying why. TLS
 * files are read here, on the machine running {@code hz-cli}; their content travels with the job.
 *
 * @param mqtt     the broker, subscriptions and session settings
 * @param settings the aggregation job's settings
 * @param job      the job's name, processing guarantee and snapshot interval
 * @param warnings keys given that have no effect, one sentence each, for the submitter to print
 */
public record MqttAggregationParameters(MqttSourceSettings mqtt, AggregationSettings settings, JobSettings job,
                                        List<String> warnings) {

    /** The {@code job.*} keys of this jar, the MQTT flavour's: {@link AggregationJob#MQTT_JOB}. */
    public static final SettingGroup JOB = AggregationJob.MQTT_JOB;

    static final String PREFIX = "connect.mqtt.";

    /** stream-reactor's MQTT source keys this jar reads, each mapped to the source setting it stands for. */
    public static final SettingGroup CONNECT_MQTT = new SettingGroup("stream-reactor MQTT source");

    public static final Setting<String> KCQL = CONNECT_MQTT.add(Setting.string(PREFIX + "kcql", null,
            "`INSERT INTO <topic> SELECT * FROM <filter>` statements, `;`-separated: each `FROM` filter is "
                    + "subscribed to (`mqtt.topics`), `'$share/<group>/<filter>'` sets `mqtt.shared.group`; a "
                    + "filter with `#` goes in single quotes; the Kafka topic is not used (the readings go to the "
                    + "job's maps)").optional());
    public static final Setting<String> HOSTS = CONNECT_MQTT.add(MqttSourceSettings.BROKER.withKey(PREFIX + "hosts")
            .optional());
    public static final Setting<Integer> SERVICE_QUALITY = CONNECT_MQTT.add(MqttSourceSettings.QOS
            .withKey(PREFIX + "service.quality"));
    public static final Setting<String> CLIENT_ID = CONNECT_MQTT.add(MqttSourceSettings.CLIENT_ID
            .withKey(PREFIX + "client.id"));
    public static final Setting<String> USERNAME = CONNECT_MQTT.add(MqttSourceSettings.USERNAME
            .withKey(PREFIX + "username"));
    /** The user name key of stream-reactor's older releases. */
    public static final Setting<String> USER = CONNECT_MQTT.add(MqttSourceSettings.USERNAME
            .withKey(PREFIX + "user"));
    public static final Setting<String> PASSWORD = CONNECT_MQTT.add(MqttSourceSettings.PASSWORD
            .withKey(PREFIX + "password"));
    public static final Setting<List<String>> SSL_CA_CERT = CONNECT_MQTT.add(MqttSourceSettings.TLS_CA
            .withKey(PREFIX + "ssl.ca.cert"));
    public static final Setting<List<String>> SSL_CERT = CONNECT_MQTT.add(MqttSourceSettings.TLS_CERT
            .withKey(PREFIX + "ssl.cert"));
    public static final Setting<String> SSL_KEY = CONNECT_MQTT.add(MqttSourceSettings.TLS_KEY
            .withKey(PREFIX + "ssl.key"));
    // stream-reactor handed both numbers to Paho's MqttConnectOptions, which reads seconds.
    public static final Setting<Duration> KEEP_ALIVE = CONNECT_MQTT.add(seconds(MqttSourceSettings.KEEP_ALIVE
            .withKey(PREFIX + "keep.alive")));
    public static final Setting<Duration> TIMEOUT = CONNECT_MQTT.add(seconds(MqttSourceSettings.CONNECT_TIMEOUT
            .withKey(PREFIX + "timeout")));
    /** The keep alive key of stream-reactor's older releases. */
    public static final Setting<Duration> CONNECTION_KEEP_ALIVE = CONNECT_MQTT.add(seconds(
            MqttSourceSettings.KEEP_ALIVE.withKey(PREFIX + "connection.keep.alive")));
    /** The timeout key of stream-reactor's older releases. */
    public static final Setting<Duration> CONNECTION_TIMEOUT = CONNECT_MQTT.add(seconds(
            MqttSourceSettings.CONNECT_TIMEOUT.withKey(PREFIX + "connection.timeout")));
    public static final Setting<Boolean> CLEAN = CONNECT_MQTT.add(Setting.bool(PREFIX + "clean", true,
            "`false` is what the source does with QoS 1 and 2 anyway (a persistent session, acknowledged after each "
                    + "snapshot); `true` (stream-reactor's default) is not applied, with a warning: a clean session "
                    + "loses what is published while the job is away"));
    /** The clean session key of stream-reactor's older releases. */
    public static final Setting<Boolean> CONNECTION_CLEAN = CONNECT_MQTT.add(Setting.bool(PREFIX
            + "connection.clean", true, CLEAN.doc()));
    public static final Setting<String> THROW_ON_ERROR = CONNECT_MQTT.add(notApplied(PREFIX
            + "converter.throw.on.error", "a payload that is not a reading becomes a dead letter (topic, QoS, "
            + "bytes, reason) in the dead-letter map and the job goes on; nothing is lost silently"));
    public static final Setting<String> CONVERTERS = CONNECT_MQTT.add(notApplied(PREFIX + "source.converters",
            "payloads are read as readings by content type (`mqtt.content.type`)"));
    public static final Setting<String> LOG_MESSAGE = CONNECT_MQTT.add(notApplied(PREFIX + "log.message",
            "the job counts messages in its metrics (`mqttReceived`) instead of logging them"));
    public static final Setting<String> POLLING_TIMEOUT = CONNECT_MQTT.add(notApplied(PREFIX + "polling.timeout",
            "there is no Connect task polling a queue: messages go straight into the job"));
    public static final Setting<String> SHARE_REPLICATE = CONNECT_MQTT.add(notApplied(PREFIX + "share.replicate",
            "shared subscriptions are spread over `mqtt.sessions` sessions in the cluster, never replicated"));
    public static final Setting<String> TLS_VERSION = CONNECT_MQTT.add(notApplied(PREFIX + "tls.version",
            "the JVM negotiates TLS 1.3 or 1.2 with the broker"));
    public static final Setting<String> PROGRESS_ENABLED = CONNECT_MQTT.add(notApplied("connect.progress.enabled",
            "Jet's job metrics count the items of every stage"));

    private static final List<Setting<String>> NOT_APPLIED = List.of(THROW_ON_ERROR, CONVERTERS, LOG_MESSAGE,
            POLLING_TIMEOUT, SHARE_REPLICATE, TLS_VERSION, PROGRESS_ENABLED);

    public MqttAggregationParameters {
        warnings = List.copyOf(warnings);
    }

    /**
     * Reads and checks the parameters, reading the TLS files.
     *
     * @throws IllegalArgumentException naming the key and the value of a bad one, or every unknown key with the list
     *                                  of known ones
     */
    public static MqttAggregationParameters of(SettingsReader args) {
        List<String> warnings = new ArrayList<>();
        SettingsReader known = withoutConnectWorkerKeys(args, warnings);
        known.rejectUnknown(MqttSourceSettings.GROUP, AggregationSettings.GROUP, JOB, CONNECT_MQTT);

        MqttSourceSettings.Builder mqtt = MqttSourceSettings.builder();
        if (known.has(KCQL)) {
            List<KcqlSubscription> statements;
            try {
                statements = KcqlSubscription.parseAll(known.get(KCQL));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(KCQL.key() + ": " + e.getMessage(), e);
            }
            subscribe(mqtt, statements, warnings);
        }
        mapConnectKeys(known, mqtt, warnings);
        mqtt.read(known);
        return new MqttAggregationParameters(mqtt.build(), AggregationSettings.builder().read(known).build(),
                JobSettings.builder(JOB).read(known).build(), warnings);
    }

    /** The job's configuration: name, processing guarantee and snapshot interval. */
    public JobConfig jobConfig() {
        return job.jobConfig();
    }

    private static void subscribe(MqttSourceSettings.Builder mqtt, List<KcqlSubscription> statements,
                                  List<String> warnings) {
        Set<String> filters = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        for (KcqlSubscription s : statements) {
            String topic = s.topic();
            if (topic.startsWith("$share/")) {
                int end = topic.indexOf('/', "$share/".length());
                if (end < 0) {
                    throw new IllegalArgumentException(KCQL.key() + ": '" + topic + "' in \"" + s.text()
                            + "\" must be $share/<group>/<filter>");
                }
                groups.add(topic.substring("$share/".length(), end));
                topic = topic.substring(end + 1);
            }
            filters.add(topic);
            if (s.converter() != null) {
                warnings.add(KCQL.key() + ": WITHCONVERTER in \"" + s.text() + "\" is not applied: payloads are "
                        + "read as readings by content type (mqtt.content.type)");
            }
            if (!s.keyFields().isEmpty()) {
                warnings.add(KCQL.key() + ": WITHKEY in \"" + s.text() + "\" is not applied: readings are keyed by "
                        + "their sensor and place ids");
            }
        }
        if (groups.size() > 1) {
            throw new IllegalArgumentException(KCQL.key() + " names several shared subscription groups " + groups
                    + ": the source subscribes every filter in one group");
        }
        try {
            mqtt.set(MqttSourceSettings.TOPICS, List.copyOf(filters));
            if (!groups.isEmpty()) {
                mqtt.set(MqttSourceSettings.SHARED_GROUP, groups.iterator().next());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KCQL.key() + ": the FROM topics " + filters + " are not usable: "
                    + e.getMessage(), e);
        }
        warnings.add(KCQL.key() + ": the readings go to the job's maps, not to the Kafka topics "
                + statements.stream().map(KcqlSubscription::target).distinct().toList());
    }

    private static void mapConnectKeys(SettingsReader args, MqttSourceSettings.Builder mqtt, List<String> warnings) {
        set(args, mqtt, HOSTS, MqttSourceSettings.BROKER);
        set(args, mqtt, SERVICE_QUALITY, MqttSourceSettings.QOS);
        set(args, mqtt, CLIENT_ID, MqttSourceSettings.CLIENT_ID);
        set(args, mqtt, USER, MqttSourceSettings.USERNAME);
        set(args, mqtt, USERNAME, MqttSourceSettings.USERNAME);
        set(args, mqtt, PASSWORD, MqttSourceSettings.PASSWORD);
        set(args, mqtt, CONNECTION_KEEP_ALIVE, MqttSourceSettings.KEEP_ALIVE);
        set(args, mqtt, KEEP_ALIVE, MqttSourceSettings.KEEP_ALIVE);
        set(args, mqtt, CONNECTION_TIMEOUT, MqttSourceSettings.CONNECT_TIMEOUT);
        set(args, mqtt, TIMEOUT, MqttSourceSettings.CONNECT_TIMEOUT);
        set(args, mqtt, SSL_CA_CERT, MqttSourceSettings.TLS_CA);
        set(args, mqtt, SSL_CERT, MqttSourceSettings.TLS_CERT);
        set(args, mqtt, SSL_KEY, MqttSourceSettings.TLS_KEY);
        // The combinations the source's build() would refuse naming its own keys, named here as the user wrote them.
        if (args.has(SSL_CERT) != args.has(SSL_KEY)) {
            throw new IllegalArgumentException(SSL_CERT.key() + " and " + SSL_KEY.key()
                    + " go together: set both or neither");
        }
        boolean ssl = args.has(SSL_CA_CERT) || args.has(SSL_CERT);
        if (ssl && args.has(HOSTS) && !mqtt.get(MqttSourceSettings.BROKER).matches("(?i)(ssl|mqtts)://.*")) {
            throw new IllegalArgumentException(SSL_CA_CERT.key() + ", " + SSL_CERT.key() + " and " + SSL_KEY.key()
                    + " need an ssl:// " + HOSTS.key() + ", was '" + args.text(HOSTS.key()) + "'");
        }
        if (args.has(PASSWORD) && !args.has(USERNAME) && !args.has(USER)
                && !args.has(MqttSourceSettings.USERNAME)) {
            throw new IllegalArgumentException(PASSWORD.key() + " needs " + USERNAME.key());
        }
        for (Setting<Boolean> clean : List.of(CONNECTION_CLEAN, CLEAN)) {
            if (args.has(clean) && args.get(clean)) {
                warnings.add(clean.key() + "=true is not applied: with QoS 1 and 2 the source keeps a persistent "
                        + "session and acknowledges each message after the snapshot that holds it, so what is "
                        + "published while the job is away is delivered when it is back");
            }
        }
        for (Setting<String> s : NOT_APPLIED) {
            if (args.has(s)) {
                warnings.add(s.key() + " is " + s.doc());
            }
        }
    }

    private static <T> void set(SettingsReader args, MqttSourceSettings.Builder mqtt, Setting<T> connectKey,
                                Setting<T> setting) {
        if (args.has(connectKey)) {
            mqtt.set(setting, args.get(connectKey));
        }
    }

    /**
     * {@code args} without the keys of a Kafka Connect connector file that are not stream-reactor's, each listed in
     * {@code warnings}; unknown {@code connect.mqtt.*} keys are warned about too, as an old file may carry keys of
     * other releases.
     */
    private static SettingsReader withoutConnectWorkerKeys(SettingsReader args, List<String> warnings) {
        Properties kept = args.asProperties();
        for (String key : args.asProperties().stringPropertyNames()) {
            boolean worker = key.equals("name") || key.equals("connector.class") || key.equals("tasks.max")
                    || key.startsWith("key.converter") || key.startsWith("value.converter")
                    || key.startsWith("header.converter") || key.startsWith("errors.");
            if (worker) {
                warnings.add(key + " is ignored: the job reads MQTT itself, without a Kafka Connect worker");
                kept.remove(key);
            } else if (key.startsWith(PREFIX) && CONNECT_MQTT.find(key) == null) {
                warnings.add(key + " is not a key of stream-reactor's MQTT source and is ignored");
                kept.remove(key);
            }
        }
        return SettingsReader.of(kept);
    }

    private static Setting<Duration> seconds(Setting<Duration> setting) {
        return setting.writtenAs("a number of seconds", text -> Duration.ofSeconds(Long.parseLong(text)),
                d -> String.valueOf(d.toSeconds()));
    }

    private static Setting<String> notApplied(String key, String why) {
        return Setting.string(key, null, "accepted but not applied: " + why).optional();
    }
}
