package io.iotgrid.sources;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.ReadingParser;
import io.iotgrid.sources.impl.MqttReadings;
import io.iotgrid.sources.impl.StreamMqttP;

import java.time.Duration;

/**
 * Contains factory methods for Jet sources that subscribe to MQTT topics, with the HiveMQ MQTT client (MQTT 5 or
 * 3.1.1, over TCP or TLS).
 * <p>
 * <b>Delivery guarantee, per QoS of the subscription</b> ({@link MqttSourceSettings#QOS}):
 * <ul>
 *   <li><b>QoS 0: at most once.</b> Messages published while a session is disconnected, or dropped because the
 *       source's queue was full ({@code mqttDropped}), are lost.</li>
 *   <li><b>QoS 1 and 2: at least once</b>, with a job whose processing guarantee is at-least-once or exactly-once.
 *       Each session is persistent (Clean Start false, {@link MqttSourceSettings#SESSION_EXPIRY}) and a message is
 *       acknowledged to the broker (PUBACK, PUBREC) only after the Jet snapshot that holds its item has completed on
 *       every member. After a member is lost, the job restarts, or the broker restarts with its persistence on,
 *       the broker sends again whatever was not acknowledged and delivers what it queued for the session meanwhile:
 *       nothing acknowledged is lost, but what came after the last completed snapshot comes twice. QoS 2 gives no
 *       more than QoS 1 here: its exactly-once ends at the broker's PUBREC, before the job. With processing guarantee
 *       NONE a message is acknowledged as soon as its item is emitted, so a failure loses what is in flight.</li>
 * </ul>
 * What the broker itself keeps is the limit: a session away for longer than its expiry is dropped with what it held,
 * and Mosquitto queues at most {@code max_queued_messages} (default 1000) per session, then drops QoS 1 and 2
 * messages too; a 3.1.1 broker sends at most its {@code max_inflight_messages} (Mosquitto: 20) unacknowledged, which
 * with acknowledgements held until a snapshot caps the throughput at that many per snapshot interval: raise it.
 * Mosquitto 2.0 restores a session from its persistence file without its shared subscriptions (seen with 2.0.11):
 * after a broker restart the source subscribes again on reconnecting, but what a shared group was sent between the
 * restart and that moment is lost; a plain subscription ({@code mqtt.shared.group=none}) keeps it.
 * <p>
 * <b>Spread over the cluster</b> with MQTT 5 shared subscriptions: the source has {@link MqttSourceSettings#SESSIONS}
 * sessions, each its own client id {@code <mqtt.client.id>-<n>}, spread over {@code mqtt.local.parallelism}
 * processors per member; each subscribes to {@code $share/<mqtt.shared.group>/<filter>} and the broker hands each
 * message to one of them. The number of sessions is fixed, not derived from the cluster, so that a job restarted
 * after a member is lost (or added) runs every session again, on the processors it has then, and resumes the
 * messages each holds; processors beyond the number of sessions stay idle. With {@code mqtt.shared.group=none}
 * (required for MQTT 3.1.1) there is one session, on one processor in the cluster.
 * <p>
 * <b>Connection:</b> a session reconnects by itself after a lost connection, a broker restart or a refused first
 * connect, after a delay that doubles from {@link MqttSourceSettings#RECONNECT_INITIAL_BACKOFF} to
 * {@link MqttSourceSettings#RECONNECT_MAX_BACKOFF}, and subscribes again whenever the broker has lost its session.
 * A refused credential (bad user name or password, not authorized, banned) or a failed TLS handshake (e.g. an
 * untrusted certificate) stops that session for good, logged at SEVERE with the broker and the reason, and its
 * {@code mqttFailed} metric goes to 1; the job and its other sources keep running.
 * <p>
 * <b>Event time</b> is stamped in the source, one partition per session, when the stage asks for it
 * ({@code withTimestamps}, {@code withNativeTimestamps} for the receipt time). With a {@code quietCloseAfter}
 * ({@link #subscribe(MqttSourceSettings, FunctionEx, Duration)}) each session's event time follows the wall clock at
 * that lag when it has nothing newer ({@link WallClockFloor}).
 * <p>
 * Per-session Jet metrics, tagged {@code mqttSession=<client id>}: {@code mqttReceived}, {@code mqttDeadLetters},
 * {@code mqttReconnects}, {@code mqttDropped} (QoS 0, queue of {@link MqttSourceSettings#QUEUE_CAPACITY} full),
 * {@code mqttInFlight} (QoS 1 and 2 held, not yet acknowledged) and {@code mqttFailed}.
 */
public final class MqttSources {

    private MqttSources() {
    }

    /**
     * Returns a source of the messages published to {@code topicFilters} at {@code broker}, subscribed with QoS 1
     * and every other setting at its default. See {@link #subscribe(MqttSourceSettings)}.
     * <pre>{@code
     * p.readFrom(MqttSources.subscribe("mqtt://10.0.0.5:1883", "plant/+/sensors/#"))
     *  .withNativeTimestamps(0)
     *  .writeTo(Sinks.logger());
     * }</pre>
     */
    public static StreamSource<MqttMessage> subscribe(String broker, String... topicFilters) {
        return subscribe(MqttSourceSettings.of(broker, topicFilters));
    }

    /**
     * Returns a source that emits each message received on the subscriptions of {@code settings} as an
     * {@link MqttMessage}, with its topic, QoS, content type and payload. Default local parallelism: 1 processor per
     * member ({@link MqttSourceSettings#LOCAL_PARALLELISM}) with a shared group, else one in the cluster. Delivery
     * guarantee: at most once with QoS 0, at least once with QoS 1 and 2 (see the class Javadoc).
     * <pre>{@code
     * p.readFrom(MqttSources.subscribe(MqttSourceSettings.builder()
     *                 .set(MqttSourceSettings.BROKER, "mqtts://broker.example:8883")
     *                 .set(MqttSourceSettings.TOPICS, List.of("plant/#"))
     *                 .set(MqttSourceSettings.USERNAME, "grid")
     *                 .set(MqttSourceSettings.PASSWORD, "secret")
     *                 .build()))
     *  .withNativeTimestamps(0)
     *  .writeTo(Sinks.logger());
     * }</pre>
     */
    public static StreamSource<MqttMessage> subscribe(MqttSourceSettings settings) {
        return subscribe(settings, FunctionEx.identity(), null);
    }

    /**
     * Like {@link #subscribe(MqttSourceSettings)}, but emits what {@code projectionFn} makes of each message (nothing
     * when it returns {@code null}; the message is acknowledged all the same), so that event time can be taken from
     * the parsed item right where it enters, per session; {@code quietCloseAfter} keeps event time moving when the
     * topics go quiet.
     * <pre>{@code
     * p.readFrom(MqttSources.subscribe(settings, m -> new String(m.payload(), UTF_8), null))
     *  .withNativeTimestamps(0)
     *  .writeTo(Sinks.logger());
     * }</pre>
     * An item stamped {@link Long#MIN_VALUE} (a dead letter, say) is emitted in event time but neither moves the
     * watermark nor counts as late, as long as no window takes it.
     *
     * @param projectionFn    what to emit for each message, or {@code null} to skip it; it runs on Jet's
     *                        cooperative thread, so it must not block
     * @param quietCloseAfter while a session has nothing newer, its event time follows the wall clock at this lag
     *                        ({@link WallClockFloor}); {@code null} for pure event time
     */
    public static <T> StreamSource<T> subscribe(MqttSourceSettings settings,
                                                FunctionEx<? super MqttMessage, ? extends T> projectionFn,
                                                Duration quietCloseAfter) {
        return Sources.streamFromProcessorWithWatermarks(stageName(settings), true,
                policy -> StreamMqttP.metaSupplier(settings, projectionFn, WallClockFloor.apply(policy,
                        quietCloseAfter)));
    }

    /**
     * Returns a source of readings parsed in the source, as the aggregation job reads MQTT: the payload by its MQTT 5
     * content type ({@code application/json}, {@code application/cbor}, {@code text/plain}) or else by
     * {@link MqttSourceSettings#CONTENT_TYPE}, in {@code format}; the sensor and place ids from the topic when
     * {@link MqttSourceSettings#TOPIC_TEMPLATE} is set. A payload that cannot be read, a topic that does not match
     * the template or an unknown content type becomes a {@link io.iotgrid.core.DeadLetter} with the source
     * ({@code <broker>/<topic>?qos=<qos>}), the topic, the raw bytes and the reason.
     * <pre>{@code
     * p.readFrom(MqttSources.readings(settings, ReadingFormat.nested(), Duration.ofSeconds(30)))
     *  .withTimestamps(d -> d instanceof SensorReading r ? r.timestamp() : Long.MIN_VALUE, 5_000)
     *  .writeTo(Sinks.logger());
     * }</pre>
     * Delivery guarantee and parallelism as {@link #subscribe(MqttSourceSettings)}.
     *
     * @param quietCloseAfter see {@link #subscribe(MqttSourceSettings, FunctionEx, Duration)}
     */
    public static StreamSource<Decoded> readings(MqttSourceSettings settings, ReadingFormat format,
                                                 Duration quietCloseAfter) {
        return readings(settings, new ReadingParser(format), quietCloseAfter);
    }

    /**
     * As {@link #readings(MqttSourceSettings, ReadingFormat, Duration)}, read by {@code parser}: its format and its
     * plausible ranges, outside which a reading is a dead letter (the other overload keeps each measure's default).
     */
    public static StreamSource<Decoded> readings(MqttSourceSettings settings, ReadingParser parser,
                                                 Duration quietCloseAfter) {
        return subscribe(settings, new MqttReadings(settings, parser), quietCloseAfter);
    }

    /** {@code mqttSubscribe(mqtt://h:1883 plant/#)}, or {@code ... and 3 more)}: the name becomes a metric tag. */
    static String stageName(MqttSourceSettings settings) {
        int more = settings.topics().size() - 1;
        return "mqttSubscribe(" + settings.brokerName() + ' ' + settings.topics().get(0)
                + (more == 0 ? "" : " and " + more + " more") + ')';
    }
}
