package io.iotgrid.sinks;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sinks;
import io.iotgrid.sinks.impl.MqttWriterP;

/**
 * Jet sinks that publish each item as JSON to an MQTT broker, on the HiveMQ MQTT client (MQTT 5).
 */
public final class MqttSinks {

    private MqttSinks() {
    }

    /**
     * A sink that publishes each item as JSON to the topic {@code topicFn} gives it, on
     * {@code mqtt://localhost:1883}, e.g.
     * {@code alerts.writeTo(MqttSinks.json(a -> "plant/" + a.placeId() + "/alerts"))}:
     * {@link #json(FunctionEx, MqttSinkSettings)} with {@link MqttSinkSettings#defaults()}: QoS 1, not retained,
     * a failed publish fails the job. At least once, local parallelism 1.
     */
    public static <T> Sink<T> json(FunctionEx<? super T, String> topicFn) {
        return json(topicFn, MqttSinkSettings.defaults());
    }

    /**
     * A sink that publishes each item as JSON to the topic {@code topicFn} gives it, e.g. the last closed window
     * per sensor, retained, for dashboards:
     * {@code stats.writeTo(MqttSinks.json(s -> "plant/" + s.placeId() + "/stats/" + s.sensorId(),
     * MqttSinkSettings.builder().set(MqttSinkSettings.BROKER, "mqtt://10.0.0.7:1883")
     * .set(MqttSinkSettings.RETAIN, true).set(MqttSinkSettings.ERROR_POLICY, ErrorPolicy.RETRY).build()))}.
     * <p>
     * The payload is the item written by Jackson (records, maps, collections and POJOs; {@code java.time} values
     * as ISO-8601 text), published with content type {@code application/json} and the UTF-8 payload format
     * indicator, at {@link MqttSinkSettings#qos()} (default 1), retained when {@link MqttSinkSettings#retain()}
     * (default off). Each processor has one MQTT 5 connection to {@link MqttSinkSettings#broker()} (default
     * {@code mqtt://localhost:1883}) with the client id {@link MqttSinkSettings#clientId()} (default
     * {@code iot-grid-sink-<job id>}) plus {@code -<global processor index>}; it keeps up to
     * {@link MqttSinkSettings#maxInFlight()} items unacknowledged (default 1024) and takes no more input
     * meanwhile, which back-pressures the job. Items go out in the order the processor received them.
     * <p>
     * A lost connection, and a first connect the broker does not answer, are tried again with a backoff from
     * {@link MqttSinkSettings#reconnectInitialBackoff()} (default 1 s) doubling up to
     * {@link MqttSinkSettings#reconnectMaxBackoff()} (default 30 s); the job waits meanwhile. After a drop the sink
     * resumes its session (kept by the broker for
     * {@link MqttSinkSettings#sessionExpiry()}) and sends its unacknowledged QoS 1 and 2 publishes again; when the
     * broker lost the session (restarted without persistence) it publishes them anew, so a broker restart loses
     * none of them. Credentials the broker refuses ({@code BAD_USER_NAME_OR_PASSWORD}, {@code NOT_AUTHORIZED},
     * {@code BANNED}...) fail the job whatever the error policy, with a message that names the broker, the client
     * id and the reason code.
     * <p>
     * A publish fails when the broker answers with an error code (PUBACK or PUBREC, e.g. {@code NOT_AUTHORIZED}
     * by its ACL, {@code QUOTA_EXCEEDED}), when a QoS 0 publish could not be written to the connection, or when
     * the client cannot encode it (e.g. larger than the broker's maximum packet size). A failure meets the
     * {@link MqttSinkSettings#errorPolicy()}: {@link ErrorPolicy#THROW} (the default) fails the job with a message
     * that names the sink, the topic, the broker and the reason code; {@link ErrorPolicy#NOOP} writes a
     * {@link io.iotgrid.core.DeadLetter} (source the topic, reason the topic, QoS, broker and reason code, payload
     * the JSON bytes) to {@link MqttSinkSettings#deadLettersMap()} and goes on; {@link ErrorPolicy#RETRY}
     * publishes it again every {@link MqttSinkSettings#retryInterval()} up to
     * {@link MqttSinkSettings#maxRetries()} times, then writes the dead letter. A retried item may arrive after
     * later items to the same topic. An item that can never be published (its topic is null, empty or has a
     * wildcard, or Jackson cannot write it) fails the job under THROW and becomes a dead letter right away under
     * NOOP and RETRY (payload the JSON, or the item's {@code String.valueOf} when there is none; source the topic,
     * or the sink's name when there is none). Each processor reports the user metrics {@code retriedPublishes},
     * {@code reconnects} and {@code deadLetters}.
     * <p>
     * <b>Delivery guarantee:</b> with QoS 1 and 2, at least once: a snapshot, and the end of a batch job, wait
     * until the broker acknowledged every item taken before (PUBACK, or PUBREC for QoS 2) or it was dead-lettered;
     * what was taken after the last snapshot is published again after a restore, and a publish sent again on a
     * new connection may reach subscribers twice (QoS 2 removes that only within one session). With QoS 0, at
     * most once: a snapshot waits until every item was written to the connection, but the broker acknowledges
     * nothing, so what it had not forwarded when it or the connection failed is lost.
     * <p>
     * Default local parallelism is 1: one connection per member keeps the order of the member's items; one
     * connection keeps many publishes in flight, so more rarely helps. With several members, items of different
     * members reach a topic in no particular order.
     *
     * @param topicFn  the topic to publish an item to, e.g. {@code plant/hall-1/sensors/s-1/alerts}; no wildcards
     * @param settings broker, QoS, retain, credentials, reconnect, bound and error policy;
     *                 {@link MqttSinkSettings#defaults()} in the short overload
     */
    public static <T> Sink<T> json(FunctionEx<? super T, String> topicFn, MqttSinkSettings settings) {
        if (topicFn == null) {
            throw new IllegalArgumentException("topicFn must not be null");
        }
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        String sinkName = "mqttSink(" + settings.brokerName() + " QoS " + settings.qos()
                + (settings.retain() ? " retained" : "") + ')';
        return Sinks.fromProcessor(sinkName,
                ProcessorMetaSupplier.of(1, () -> new MqttWriterP<>(sinkName, settings, topicFn)));
    }
}
