package io.iotgrid.console.impl;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import io.iotgrid.coap.CoapSecurityKeys;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.jobs.AggregationSettings;
import io.iotgrid.jobs.JobSettings;
import io.iotgrid.jobs.KafkaJobSettings;
import io.iotgrid.kcql.StreamReactorProperties;
import io.iotgrid.sources.CoapObserveSettings;
import io.iotgrid.sources.MqttSourceSettings;
import io.iotgrid.submit.CoapAggregationParameters;
import io.iotgrid.submit.CoapAggregationSubmit;
import io.iotgrid.submit.KafkaAggregationParameters;
import io.iotgrid.submit.KafkaAggregationSubmit;
import io.iotgrid.submit.KcqlRoutingParameters;
import io.iotgrid.submit.KcqlRoutingSubmit;
import io.iotgrid.submit.MqttAggregationParameters;
import io.iotgrid.submit.MqttAggregationSubmit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A kind of connector the REST API accepts, by its {@code connector.class}: how its keys are declared (for
 * validation), read (the job jars' parameter classes, so a connector and {@code hz-cli submit} of the same file
 * behave alike) and submitted as a Jet job.
 *
 * @param className  the {@code connector.class} value
 * @param type       {@code source} or {@code sink}, as Kafka Connect says
 * @param groups     the settings its keys are declared in
 * @param tolerated  keys outside {@code groups} that its reader accepts (with a warning) instead of refusing
 * @param submitter  reads the keys (without Kafka Connect's own) and submits the job
 */
public record ConnectorPlugin(String className, String type, List<SettingGroup> groups, Predicate<String> tolerated,
                              Submitter submitter) {

    /** The keys of a Connect connector configuration that are the worker's, not the connector's. */
    static final List<String> WORKER_KEYS = List.of("name", "connector.class", "tasks.max");

    /** Reads a configuration into its job's parameters, then submits them. */
    public interface Submitter {
        /** The parameters, checked; throws {@link IllegalArgumentException} naming a bad key. */
        Object read(SettingsReader keys);

        /** Submits the job of {@code parameters}, made by {@link #read}. */
        Job submit(HazelcastInstance hz, Object parameters);
    }

    private static <P> Submitter submitter(Function<SettingsReader, P> read,
                                           java.util.function.BiFunction<HazelcastInstance, P, Job> submit) {
        return new Submitter() {
            @Override
            public Object read(SettingsReader keys) {
                return read.apply(keys);
            }

            @Override
            @SuppressWarnings("unchecked")
            public Job submit(HazelcastInstance hz, Object parameters) {
                return submit.apply(hz, (P) parameters);
            }
        };
    }

    /** stream-reactor's CoAP source keys, each read as the CoAP source setting it stands for. */
    static final SettingGroup CONNECT_COAP = new SettingGroup("stream-reactor CoAP source");
    /** connect.coap key to the iot-grid key it becomes. */
    private static final Map<String, String> COAP_KEYS = new LinkedHashMap<>();

    static {
        coap("uri", CoapObserveSettings.URIS);
        coap("batch.size", CoapObserveSettings.QUEUE_CAPACITY);
        coap("username", CoapSecurityKeys.PSK_IDENTITY);
        coap("password", CoapSecurityKeys.PSK_SECRET);
        coap("keystore.path", CoapSecurityKeys.KEYSTORE_PATH);
        coap("keystore.pass", CoapSecurityKeys.KEYSTORE_PASSWORD);
        coap("cert.chain.key", CoapSecurityKeys.KEYSTORE_ALIAS);
        coap("truststore.path", CoapSecurityKeys.TRUSTSTORE_PATH);
        coap("truststore.pass", CoapSecurityKeys.TRUSTSTORE_PASSWORD);
        coap("host", CoapSecurityKeys.BIND_HOST);
        coap("port", CoapSecurityKeys.BIND_PORT);
        CONNECT_COAP.add(Setting.string("connect.coap.kcql", null, "accepted but not applied: the readings go to "
                + "the aggregation job's maps, not to a Kafka topic").optional());
    }

    private static void coap(String suffix, Setting<?> setting) {
        String key = "connect.coap." + suffix;
        CONNECT_COAP.add(setting.withKey(key).withDoc("stream-reactor's key for `" + setting.key() + "`: "
                + setting.doc()));
        COAP_KEYS.put(key, setting.key());
    }

    /**
     * Every plugin, stream-reactor's first. The Hazelcast sink and the KCQL routing jar read the same keys, and so
     * do the MQTT source and the MQTT aggregation jar.
     */
    public static final List<ConnectorPlugin> ALL = List.of(
            new ConnectorPlugin("com.datamountaineer.streamreactor.connect.hazelcast.sink.HazelCastSinkConnector",
                    "sink", List.of(StreamReactorProperties.GROUP, KcqlRoutingParameters.GROUP), key -> true,
                    submitter(KcqlRoutingParameters::of, KcqlRoutingSubmit::submit)),
            new ConnectorPlugin("io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector", "source",
                    mqttGroups(), key -> key.startsWith("connect.mqtt."),
                    submitter(MqttAggregationParameters::of, MqttAggregationSubmit::submit)),
            new ConnectorPlugin("com.datamountaineer.streamreactor.connect.coap.source.CoapSourceConnector", "source",
                    List.of(CONNECT_COAP, CoapObserveSettings.GROUP, AggregationSettings.GROUP,
                            CoapAggregationParameters.JOB), key -> false,
                    submitter(ConnectorPlugin::readStreamReactorCoap, CoapAggregationSubmit::submit)),
            new ConnectorPlugin("io.iotgrid.submit.CoapAggregationSubmit", "source",
                    List.of(CoapObserveSettings.GROUP, AggregationSettings.GROUP, CoapAggregationParameters.JOB),
                    key -> false, submitter(CoapAggregationParameters::of, CoapAggregationSubmit::submit)),
            new ConnectorPlugin("io.iotgrid.submit.KafkaAggregationSubmit", "source",
                    List.of(KafkaJobSettings.GROUP, AggregationSettings.GROUP), key -> false,
                    submitter(KafkaAggregationParameters::of, KafkaAggregationSubmit::submit)),
            new ConnectorPlugin("io.iotgrid.submit.MqttAggregationSubmit", "source", mqttGroups(),
                    key -> key.startsWith("connect.mqtt."),
                    submitter(MqttAggregationParameters::of, MqttAggregationSubmit::submit)),
            new ConnectorPlugin("io.iotgrid.submit.KcqlRoutingSubmit", "sink",
                    List.of(StreamReactorProperties.GROUP, KcqlRoutingParameters.GROUP), key -> true,
                    submitter(KcqlRoutingParameters::of, KcqlRoutingSubmit::submit)));

    private static List<SettingGroup> mqttGroups() {
        return List.of(MqttAggregationParameters.CONNECT_MQTT, MqttSourceSettings.GROUP, AggregationSettings.GROUP,
                MqttAggregationParameters.JOB);
    }

    /**
     * The plugin of {@code className}: its full name, or its simple name as Kafka Connect accepts aliases
     * ({@code HazelCastSinkConnector}); {@code null} when none.
     */
    public static ConnectorPlugin find(String className) {
        for (ConnectorPlugin p : ALL) {
            if (p.className.equals(className) || p.className.endsWith('.' + className)) {
                return p;
            }
        }
        return null;
    }

    /** {@link #find}'s names, for a message. */
    public static List<String> classNames() {
        return ALL.stream().map(ConnectorPlugin::className).toList();
    }

    /** The connector's own keys: {@code config} without Kafka Connect's worker keys. */
    static SettingsReader connectorKeys(Map<String, String> config) {
        Map<String, String> own = new LinkedHashMap<>(config);
        WORKER_KEYS.forEach(own::remove);
        return SettingsReader.of(own);
    }

    /**
     * A stream-reactor CoAP source configuration as the CoAP aggregation's keys: each {@code connect.coap.*} key
     * becomes the key it stands for (its value was checked under the user's key by validation), and credentials
     * choose their {@code coap.security} mode unless it is given. A key given both ways is refused.
     */
    private static CoapAggregationParameters readStreamReactorCoap(SettingsReader keys) {
        keys.rejectUnknown(CONNECT_COAP, CoapObserveSettings.GROUP, AggregationSettings.GROUP,
                CoapAggregationParameters.JOB);
        Properties given = keys.asProperties();
        Properties mapped = new Properties();
        List<String> both = new ArrayList<>();
        for (String key : given.stringPropertyNames()) {
            String target = COAP_KEYS.get(key);
            if (target == null) {
                if (!key.equals("connect.coap.kcql")) {
                    mapped.setProperty(key, given.getProperty(key));
                }
            } else if (given.containsKey(target)) {
                both.add(key + " and " + target);
            } else {
                CONNECT_COAP.find(key).parse(given.getProperty(key));
                mapped.setProperty(target, given.getProperty(key));
            }
        }
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("give each setting once: " + String.join(", ", both));
        }
        if (!mapped.containsKey(CoapSecurityKeys.SECURITY.key())) {
            if (given.containsKey("connect.coap.username") || given.containsKey("connect.coap.password")) {
                mapped.setProperty(CoapSecurityKeys.SECURITY.key(), "psk");
            } else if (given.stringPropertyNames().stream().anyMatch(k -> k.startsWith("connect.coap.keystore")
                    || k.startsWith("connect.coap.truststore") || k.equals("connect.coap.cert.chain.key"))) {
                mapped.setProperty(CoapSecurityKeys.SECURITY.key(), "keystore");
            }
        }
        return CoapAggregationParameters.of(SettingsReader.of(mapped));
    }

    /** The job name key every plugin reads. */
    static final String JOB_NAME = JobSettings.JOB_NAME.key();
}
