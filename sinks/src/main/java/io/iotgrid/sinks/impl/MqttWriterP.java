package io.iotgrid.sinks.impl;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.JetException;
import com.hazelcast.jet.Util;
import com.hazelcast.jet.core.Inbox;
import com.hazelcast.jet.core.metrics.Metric;
import com.hazelcast.jet.core.metrics.Metrics;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import io.iotgrid.core.DaemonThreads;
import io.iotgrid.sinks.ErrorPolicy;
import io.iotgrid.sinks.MqttSinkSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The sink processor of {@link io.iotgrid.sinks.MqttSinks}: one MQTT 5 connection per processor, each item
 * published as JSON to the topic {@code topicFn} gives it, at most {@link MqttSinkSettings#maxInFlight()} items
 * unfinished, the {@link ErrorPolicy} applied to every publish that fails. A snapshot and the end of the job wait
 * until every item is acknowledged (QoS 1 and 2), written to the connection (QoS 0) or dead-lettered.
 * <p>
 * The connection resumes its session after a drop (Clean Start only on the first connect), so the client sends
 * unacknowledged publishes again by itself; when the broker lost the session (restarted without persistence) they
 * are published anew. Refused credentials end the connection for good and fail the job.
 */
public final class MqttWriterP<T> extends ItemSinkP<MqttWriterP.Pending> {

    /** CONNACK codes that another attempt cannot fix: the configuration is wrong. */
    private static final Set<Mqtt5ConnAckReasonCode> FINAL_REFUSALS = EnumSet.of(
            Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
            Mqtt5ConnAckReasonCode.BANNED, Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
            Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD, Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION);

    private final MqttSinkSettings settings;
    private final FunctionEx<? super T, String> topicFn;
    private final MqttQos qos;

    private boolean connected;
    /** Set once {@link #close()} began, so that the client's own disconnect is not taken for a lost connection. */
    private volatile boolean closing;
    /** Set at the first CONNACK: from then on, reconnects resume the session instead of starting a clean one. */
    private volatile boolean hadSession;

    private String clientId;
    private Mqtt5AsyncClient client;
    /** Created on first use: Jet hands out user metrics only on the threads of processing methods. */
    private Metric reconnects;

    public MqttWriterP(String sinkName, MqttSinkSettings settings, FunctionEx<? super T, String> topicFn) {
        super(sinkName, settings, settings.maxInFlight(), "publish", "retriedPublishes");
        this.settings = settings;
        this.topicFn = topicFn;
        this.qos = MqttQos.fromCode(settings.qos());
    }

    @Override
    protected void init(Context context) throws Exception {
        super.init(context);
        clientId = (settings.clientId() != null ? settings.clientId()
                : "iot-grid-sink-" + Util.idToString(context.jobId())) + '-' + context.globalProcessorIndex();
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .identifier(clientId)
                // Daemon threads shared by every client: see DaemonThreads.MQTT_NETTY.
                .executorConfig().nettyExecutor(DaemonThreads.MQTT_NETTY)
                .nettyThreads(DaemonThreads.MQTT_NETTY_THREADS).applyExecutorConfig()
                // Unresolved: Netty resolves the host when it connects, never on this processor's thread.
                .serverAddress(InetSocketAddress.createUnresolved(settings.host(), settings.port()))
                .addDisconnectedListener(this::onDisconnected);
        if (settings.username() != null) {
            builder = builder.simpleAuth().username(settings.username())
                             .password(settings.password() == null ? new byte[0]
                                     : settings.password().getBytes(StandardCharsets.UTF_8))
                             .applySimpleAuth();
        }
        client = builder.buildAsync();
        client.connectWith().cleanStart(true).sessionExpiryInterval(settings.sessionExpiry().toSeconds()).send()
              .whenComplete((connAck, error) -> {
                  hadSession |= error == null;
                  onProcessorThread(() -> onConnected(error));
              });
    }

    @Override
    public void process(int ordinal, Inbox inbox) {
        pump();
        if (!connected) {
            // Publishes sent before the first CONNACK would fail: the client has no session yet.
            return;
        }
        for (; !inbox.isEmpty() && hasRoom(); pump()) {
            @SuppressWarnings("unchecked")
            T item = (T) inbox.poll();
            accept(item);
        }
    }

    @Override
    public void close() {
        closing = true;
        if (client != null) {
            client.disconnect();
        }
    }

    @Override
    void resend(Pending pending) {
        publish(pending);
    }

    private void onConnected(Throwable error) {
        if (error != null) {
            throw new JetException(sinkName + " cannot connect to " + settings.brokerName() + " as " + clientId + ": "
                    + describe(unwrap(error)), unwrap(error));
        }
        connected = true;
    }

    /**
     * Runs on the client's thread whenever a connection ends or an attempt fails: connects again with a bounded
     * exponential backoff, unless the sink is closing or the broker refused the credentials.
     */
    private void onDisconnected(MqttClientDisconnectedContext context) {
        if (closing || context.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        Throwable cause = context.getCause();
        if (cause instanceof Mqtt5ConnAckException refused
                && FINAL_REFUSALS.contains(refused.getMqttMessage().getReasonCode())) {
            String message = sinkName + " cannot connect to " + settings.brokerName() + " as " + clientId
                    + ": the broker refused the connection with " + refused.getMqttMessage().getReasonCode();
            getLogger().severe(message);
            // The first connect's future fails by itself; a later refusal would leave queued publishes waiting.
            onProcessorThread(() -> {
                throw new JetException(message, cause);
            });
            return;
        }
        Mqtt5ClientReconnector reconnector = ((Mqtt5ClientDisconnectedContext) context).getReconnector();
        int attempt = reconnector.getAttempts();
        long delayNanos = Math.min(settings.reconnectMaxBackoff().toNanos(),
                settings.reconnectInitialBackoff().toNanos() << Math.min(attempt, 20));
        // Unacknowledged publishes go again on the resumed session, or anew when the broker lost it.
        reconnector.reconnect(true).republishIfSessionExpired(true).delay(delayNanos, TimeUnit.NANOSECONDS);
        if (hadSession) {
            reconnector.connectWith().cleanStart(false).sessionExpiryInterval(settings.sessionExpiry().toSeconds())
                       .applyConnect();
        }
        if (attempt == 0) {
            getLogger().warning(sinkName + ": connection to " + settings.brokerName() + " as " + clientId + " lost ("
                    + describe(cause) + "); connecting again");
        }
        onProcessorThread(() -> {
            if (reconnects == null) {
                reconnects = Metrics.metric("reconnects");
            }
            reconnects.increment();
        });
    }

    /** Publishes the item, or hands it to the error policy when it can never be published. */
    private void accept(T item) {
        byte[] json;
        try {
            json = JsonBytes.of(item);
        } catch (IOException e) {
            giveUp(sinkName, "cannot write the item as JSON: " + e.getMessage(),
                    String.valueOf(item).getBytes(UTF_8), e);
            return;
        }
        String topic = null;
        try {
            topic = topicFn.apply(item);
            if (topic == null) {
                throw new IllegalArgumentException("topicFn returned null");
            }
            MqttTopic.of(topic);
        } catch (RuntimeException e) {
            giveUp(topic == null ? sinkName : topic, topic == null ? "no topic for the item: " + e
                    : "cannot publish to topic '" + topic + "': " + e.getMessage(), json, e);
            return;
        }
        started();
        publish(new Pending(topic, json));
    }

    private void publish(Pending pending) {
        client.publishWith().topic(pending.topic).qos(qos).retain(settings.retain())
              .payload(pending.json).contentType("application/json")
              .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
              .send()
              .whenComplete((result, error) -> onProcessorThread(() -> onPublished(pending, unwrap(error))));
    }

    private void onPublished(Pending pending, Throwable error) {
        if (error == null) {
            finished(pending);
            return;
        }
        failed(pending, pending.topic, "publish to " + pending.topic + " (QoS " + qos.getCode() + ") on "
                + settings.brokerName() + " failed: " + describe(error), error);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The broker's reason code where there is one, else the exception. */
    private static String describe(Throwable error) {
        if (error instanceof Mqtt5PubAckException e) {
            return "PUBACK " + e.getMqttMessage().getReasonCode()
                    + e.getMqttMessage().getReasonString().map(r -> " '" + r + "'").orElse("");
        }
        if (error instanceof Mqtt5PubRecException e) {
            return "PUBREC " + e.getMqttMessage().getReasonCode()
                    + e.getMqttMessage().getReasonString().map(r -> " '" + r + "'").orElse("");
        }
        if (error instanceof Mqtt5ConnAckException e) {
            return "CONNACK " + e.getMqttMessage().getReasonCode();
        }
        return String.valueOf(error);
    }

    static final class Pending extends Attempt {
        final String topic;

        Pending(String topic, byte[] json) {
            super(json);
            this.topic = topic;
        }
    }
}
