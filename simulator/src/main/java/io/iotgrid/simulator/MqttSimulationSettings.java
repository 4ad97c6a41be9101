package io.iotgrid.simulator;

import io.iotgrid.core.MqttBrokerUri;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

/**
 * Where an {@link MqttSensorPublisher} publishes and how. Each setting is declared once below (key, default, check,
 * meaning); the README's option table lists the same. A bad value fails with a message that names its key and the
 * value.
 * <pre>{@code
 * MqttSimulationSettings s = MqttSimulationSettings.builder()
 *         .set(MqttSimulationSettings.BROKER, "mqtt://127.0.0.1:1883")
 *         .set(MqttSimulationSettings.TOPIC_TEMPLATE, "plant/{placeId}/sensors/{sensorId}")
 *         .set(MqttSimulationSettings.QOS, 1)
 *         .build();
 * }</pre>
 * The simulated sensors, places, rate and seed are a {@link SimulationSettings} ({@link #SIMULATION}), read from
 * that type's own keys; its CoAP host and port are not used.
 */
public final class MqttSimulationSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** The placeholder of the sensor id in {@link #TOPIC_TEMPLATE}. */
    public static final String SENSOR_ID = "{sensorId}";
    /** The placeholder of the place id in {@link #TOPIC_TEMPLATE}. */
    public static final String PLACE_ID = "{placeId}";

    /** Every setting of a simulation that publishes over MQTT. */
    public static final SettingGroup GROUP = new SettingGroup("MQTT simulation");

    public static final Setting<String> BROKER = GROUP.add(Setting.string("broker", "mqtt://127.0.0.1:1883",
            "the MQTT broker to publish to, `mqtt://host:port` (plain TCP)")
            .require(b -> MqttBrokerUri.isValid(b, false), "mqtt://host:port"));
    public static final Setting<String> TOPIC_TEMPLATE = GROUP.add(Setting.string("topic.template",
            "plant/{placeId}/sensors/{sensorId}", "the topic of each sensor's readings, with `{sensorId}` and "
                    + "optionally `{placeId}` replaced by the sensor's ids")
            .require(t -> t.contains(SENSOR_ID) && !t.contains("+") && !t.contains("#"),
                    "a topic with {sensorId} and no wildcards"));
    public static final Setting<Integer> QOS = GROUP.add(Setting.integer("qos", 1,
            "QoS of the publishes: 0, 1 (the broker acknowledges each) or 2").require(q -> q >= 0 && q <= 2,
            "0, 1 or 2"));
    public static final Setting<String> PROTOCOL = GROUP.add(Setting.string("protocol", "5",
            "`5` (MQTT 5, with the content type `application/json`) or `3.1.1` (for brokers without MQTT 5, e.g. "
                    + "Moquette 0.17)").require(v -> v.equals("5") || v.equals("3.1.1"), "5 or 3.1.1"));
    public static final Setting<SimulationSettings> SIMULATION = GROUP.add(Setting.part("simulation",
            SimulationSettings.GROUP, SimulationSettings.defaults(),
            reader -> SimulationSettings.builder().read(reader).build(),
            "sensors, places, readings per second per sensor and seed"));

    private MqttSimulationSettings(Builder builder) {
        super(builder);
    }

    /** QoS 1 readings of the default simulation to {@code plant/{placeId}/sensors/{sensorId}} at {@code broker}. */
    public static MqttSimulationSettings of(String broker) {
        return builder().set(BROKER, broker).build();
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #BROKER}. */
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

    /** {@link #TOPIC_TEMPLATE}. */
    public String topicTemplate() {
        return get(TOPIC_TEMPLATE);
    }

    /** The topic of a sensor's readings. */
    public String topic(String sensorId, String placeId) {
        return topicTemplate().replace(SENSOR_ID, sensorId).replace(PLACE_ID, placeId);
    }

    /** {@link #QOS}. */
    public int qos() {
        return get(QOS);
    }

    /** Whether {@link #PROTOCOL} is MQTT 5. */
    public boolean mqtt5() {
        return get(PROTOCOL).equals("5");
    }

    /** {@link #SIMULATION}. */
    public SimulationSettings simulation() {
        return get(SIMULATION);
    }

    /** Builds {@link MqttSimulationSettings}. */
    public static final class Builder extends SettingsBuilder<MqttSimulationSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(MqttSimulationSettings from) {
            super(GROUP, from);
        }

        @Override
        protected MqttSimulationSettings create() {
            return new MqttSimulationSettings(this);
        }
    }
}
