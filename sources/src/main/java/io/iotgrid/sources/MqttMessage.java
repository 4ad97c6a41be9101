package io.iotgrid.sources;

import java.util.Objects;

/**
 * One PUBLISH that an {@link MqttSources} subscription received.
 *
 * @param broker      the broker, {@code mqtt://host:port} or {@code mqtts://host:port}
 * @param topic       the topic it was published to (never the {@code $share/} filter that matched it)
 * @param qos         the QoS it was delivered with: the lower of the publisher's and the subscription's
 * @param retain      whether the broker sent it as its retained message of the topic
 * @param contentType the MQTT 5 content type, e.g. {@code application/json}; {@code null} when it has none (and
 *                    always with MQTT 3.1.1)
 * @param receivedAt  wall-clock time of receipt, epoch milliseconds
 * @param payload     the payload bytes, unchanged
 */
public record MqttMessage(String broker, String topic, int qos, boolean retain, String contentType, long receivedAt,
                          byte[] payload) {

    public MqttMessage {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Where it came from, as readings and dead letters record it: {@code <broker>/<topic>?qos=<qos>}, e.g.
     * {@code mqtt://10.0.0.5:1883/plant/p-1/sensors/s-1?qos=1}.
     */
    public String source() {
        return broker + '/' + topic + "?qos=" + qos;
    }
}
