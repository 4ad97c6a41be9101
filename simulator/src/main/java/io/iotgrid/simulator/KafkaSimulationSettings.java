package io.iotgrid.simulator;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

/**
 * What a {@link KafkaSensorProducer} sends and where. Each setting is declared once below (key, default, check,
 * meaning); the README's option table lists the same. A bad value fails with a message that names its key and the
 * value.
 * <pre>{@code
 * KafkaSimulationSettings s = KafkaSimulationSettings.builder()
 *         .set(KafkaSimulationSettings.BOOTSTRAP_SERVERS, "127.0.0.1:9092")
 *         .set(KafkaSimulationSettings.TOPIC, "readings")
 *         .set(KafkaSimulationSettings.ENCODING, KafkaEncoding.AVRO)
 *         .build();
 * }</pre>
 * The simulated sensors, places, rate and seed are a {@link SimulationSettings} ({@link #SIMULATION}), read from
 * that type's own keys; its CoAP host and port are not used.
 */
public final class KafkaSimulationSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every setting of a simulation that writes to Kafka. */
    public static final SettingGroup GROUP = new SettingGroup("Kafka simulation");

    public static final Setting<String> BOOTSTRAP_SERVERS = GROUP.add(Setting.string("bootstrap.servers", null,
            "the Kafka brokers to write to"));
    public static final Setting<String> TOPIC = GROUP.add(Setting.string("topic", null,
            "the topic to write; records are keyed by sensor id"));
    public static final Setting<KafkaEncoding> ENCODING = GROUP.add(Setting.of("encoding",
            "one of json, connect-json, json-in-field, avro, confluent-avro", KafkaEncoding.JSON, KafkaEncoding::of,
            KafkaEncoding::key, "how record values carry readings"));
    public static final Setting<Integer> SCHEMA_ID = GROUP.add(Setting.integer("schema.id", 1,
            "the schema id written into `confluent-avro` values").require(n -> n >= 0, "at least 0"));
    public static final Setting<SimulationSettings> SIMULATION = GROUP.add(Setting.part("simulation",
            SimulationSettings.GROUP, SimulationSettings.defaults(),
            reader -> SimulationSettings.builder().read(reader).build(),
            "sensors, places, readings per second per sensor and seed"));

    private KafkaSimulationSettings(Builder builder) {
        super(builder);
    }

    /** JSON readings of the default simulation to {@code topic}, schema id 1. */
    public static KafkaSimulationSettings of(String bootstrapServers, String topic) {
        return builder().set(BOOTSTRAP_SERVERS, bootstrapServers).set(TOPIC, topic).build();
    }

    /** A builder with every setting at its default; {@link #BOOTSTRAP_SERVERS} and {@link #TOPIC} have none. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #BOOTSTRAP_SERVERS}. */
    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    /** {@link #TOPIC}. */
    public String topic() {
        return get(TOPIC);
    }

    /** {@link #ENCODING}. */
    public KafkaEncoding encoding() {
        return get(ENCODING);
    }

    /** {@link #SCHEMA_ID}. */
    public int schemaId() {
        return get(SCHEMA_ID);
    }

    /** {@link #SIMULATION}. */
    public SimulationSettings simulation() {
        return get(SIMULATION);
    }

    /** Builds {@link KafkaSimulationSettings}. */
    public static final class Builder extends SettingsBuilder<KafkaSimulationSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(KafkaSimulationSettings from) {
            super(GROUP, from);
        }

        @Override
        protected KafkaSimulationSettings create() {
            return new KafkaSimulationSettings(this);
        }
    }
}
