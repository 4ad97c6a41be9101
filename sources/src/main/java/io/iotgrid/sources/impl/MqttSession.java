package io.iotgrid.sources.impl;

import com.hazelcast.logging.ILogger;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import io.iotgrid.coap.impl.KeyMaterial;
import io.iotgrid.core.DaemonThreads;
import io.iotgrid.sources.MqttMessage;
import io.iotgrid.sources.MqttSourceSettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * One MQTT session of the source: a HiveMQ client with its own client id that connects with a persistent session
 * (QoS 1 and 2), subscribes, and puts what arrives on the processor's queue with a handle to acknowledge it. It
 * reconnects by itself with a doubling delay, subscribes again on every connect, and stops
 * for good when the broker refuses the credentials or TLS fails, since retrying cannot help then.
 * <p>
 * Everything here runs on the client's threads and never blocks; acknowledging is thread-safe in the client, which
 * sends the PUBACKs (PUBRECs) in the order the messages arrived.
 */
public final class MqttSession {

    /** CONNACK codes that mean the configuration is wrong, not that the broker is busy: no reconnecting. */
    private static final Set<Mqtt5ConnAckReasonCode> REFUSALS_5 = EnumSet.of(
            Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
            Mqtt5ConnAckReasonCode.BANNED, Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD,
            Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
    private static final Set<Mqtt3ConnAckReturnCode> REFUSALS_3 = EnumSet.of(
            Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD,
            Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, Mqtt3ConnAckReturnCode.UNSUPPORTED_PROTOCOL_VERSION);

    private static final String CREDENTIALS = "; check " + MqttSourceSettings.USERNAME.key() + ", "
            + MqttSourceSettings.PASSWORD.key() + " and " + MqttSourceSettings.CLIENT_ID.key()
            + ", and what the broker allows them";

    private final MqttSourceSettings settings;
    private final int index;
    private final String clientId;
    private final String brokerName;
    private final ILogger logger;
    private final BlockingQueue<Inbound> queue;
    private final SessionCounters counters = new SessionCounters();
    private Mqtt5AsyncClient client5;
    private Mqtt3AsyncClient client3;
    private volatile boolean connectedOnce;
    private volatile boolean receiving;
    private volatile boolean closing;

    /**
     * A session that, once {@linkplain #start() started}, puts each message on {@code queue}.
     *
     * @param index the session's number among all of the source's sessions (its event-time partition is the
     *              processor's business)
     */
    public MqttSession(MqttSourceSettings settings, int index, String clientId, ILogger logger,
                       BlockingQueue<Inbound> queue) {
        this.settings = settings;
        this.index = index;
        this.clientId = clientId;
        this.brokerName = settings.brokerName();
        this.logger = logger;
        this.queue = queue;
    }

    /**
     * A message taken from the broker and not yet acknowledged to it.
     *
     * @param session   the index the processor gave the session
     * @param message   what arrived
     * @param ack       sends the PUBACK (PUBREC for QoS 2); does nothing for QoS 0 or after the connection that
     *                  delivered it has gone (the broker then sends it again)
     */
    public record Inbound(int session, MqttMessage message, Runnable ack) {
    }

    public String clientId() {
        return clientId;
    }

    public SessionCounters counters() {
        return counters;
    }

    /** Connects; from here on the client reconnects by itself until {@link #close()} or a refusal. */
    public void start() {
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(clientId)
                // Daemon threads shared by every client: see DaemonThreads.MQTT_NETTY.
                .executorConfig().nettyExecutor(DaemonThreads.MQTT_NETTY)
                .nettyThreads(DaemonThreads.MQTT_NETTY_THREADS).applyExecutorConfig()
                .transportConfig(transport())
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected);
        boolean persistent = settings.qos() > 0;
        if (settings.mqtt5()) {
            Mqtt5ClientBuilder b = builder.useMqttVersion5();
            if (settings.username() != null) {
                b = b.simpleAuth().username(settings.username())
                     .password(password()).applySimpleAuth();
            }
            client5 = b.buildAsync();
            receive();
            client5.connectWith()
                   .cleanStart(!persistent)
                   .sessionExpiryInterval(persistent ? settings.sessionExpiry().toSeconds() : 0)
                   .keepAlive((int) settings.keepAlive().toSeconds())
                   .restrictions().receiveMaximum(settings.receiveMaximum()).applyRestrictions()
                   .send();
        } else {
            Mqtt3ClientBuilder b = builder.useMqttVersion3();
            if (settings.username() != null) {
                b = b.simpleAuth().username(settings.username())
                     .password(password()).applySimpleAuth();
            }
            client3 = b.buildAsync();
            receive();
            client3.connectWith()
                   .cleanSession(!persistent)
                   .keepAlive((int) settings.keepAlive().toSeconds())
                   .send();
        }
    }

    /**
     * Takes every message the client gets, also those the broker sends again into a resumed session, whose
     * subscriptions this client never made. The client ends such a flow when its session ends (the broker lost it,
     * or it expired), so {@link #onConnected} opens a new one then.
     */
    private void receive() {
        receiving = true;
        if (client5 != null) {
            client5.toRx().publishes(MqttGlobalPublishFilter.ALL, true)
                   .subscribe(this::received5, e -> receiving = false);
        } else {
            client3.toRx().publishes(MqttGlobalPublishFilter.ALL, true)
                   .subscribe(this::received3, e -> receiving = false);
        }
    }

    private byte[] password() {
        return settings.password() == null ? new byte[0] : settings.password().getBytes(StandardCharsets.UTF_8);
    }

    private MqttClientTransportConfig transport() {
        var b = MqttClientTransportConfig.builder()
                .serverHost(settings.host())
                .serverPort(settings.port())
                .socketConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (settings.tls()) {
            b = b.sslConfig(ssl());
        }
        return b.build();
    }

    private MqttClientSslConfig ssl() {
        try {
            var b = MqttClientSslConfig.builder()
                    .handshakeTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (settings.tlsCa() != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                X509Certificate[] cas = KeyMaterial.certificates(MqttSourceSettings.TLS_CA.key(), settings.tlsCa());
                for (int i = 0; i < cas.length; i++) {
                    trust.setCertificateEntry("ca-" + i, cas[i]);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                b = b.trustManagerFactory(tmf);
            }
            if (settings.tlsCert() != null) {
                char[] none = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                PrivateKey key = KeyMaterial.privateKey(MqttSourceSettings.TLS_KEY.key(), settings.tlsKey());
                keys.setKeyEntry("client", key, none,
                        KeyMaterial.certificates(MqttSourceSettings.TLS_CERT.key(), settings.tlsCert()));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
                b = b.keyManagerFactory(kmf);
            }
            return b.build();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot set up TLS for " + brokerName + ": " + e, e);
        }
    }

    private void received5(Mqtt5Publish p) {
        String contentType = p.getContentType().map(Object::toString).orElse(null);
        offer(p.getTopic().toString(), p.getQos(), p.isRetain(), contentType, p.getPayloadAsBytes(), p::acknowledge);
    }

    private void received3(Mqtt3Publish p) {
        offer(p.getTopic().toString(), p.getQos(), p.isRetain(), null, p.getPayloadAsBytes(), p::acknowledge);
    }

    private void offer(String topic, MqttQos qos, boolean retain, String contentType, byte[] payload,
                       Runnable acknowledge) {
        counters.received.incrementAndGet();
        if (qos == MqttQos.AT_MOST_ONCE) {
            // The broker sends QoS 0 without limit: what the queue cannot take is lost, as QoS 0 allows.
            if (queue.size() >= settings.queueCapacity()) {
                counters.dropped.incrementAndGet();
                return;
            }
            queue.add(new Inbound(index, message(topic, 0, retain, contentType, payload), () -> { }));
            return;
        }
        // QoS 1 and 2 are never dropped: the broker sends at most Receive Maximum of them unacknowledged (a 3.1.1
        // broker its own in-flight limit), which bounds the queue.
        counters.inFlight.incrementAndGet();
        queue.add(new Inbound(index, message(topic, qos.getCode(), retain, contentType, payload), () -> {
            counters.inFlight.decrementAndGet();
            acknowledge.run();
        }));
    }

    private MqttMessage message(String topic, int qos, boolean retain, String contentType,
                                                   byte[] payload) {
        return new MqttMessage(brokerName, topic, qos, retain, contentType,
                System.currentTimeMillis(), payload);
    }

    private void onConnected(MqttClientConnectedContext context) {
        if (closing) {
            disconnect();
            return;
        }
        boolean sessionPresent = context instanceof Mqtt5ClientConnectedContext c5
                ? c5.getConnAck().isSessionPresent()
                : ((Mqtt3ClientConnectedContext) context).getConnAck().isSessionPresent();
        if (connectedOnce) {
            counters.reconnects.incrementAndGet();
        }
        connectedOnce = true;
        logger.info("MQTT session " + clientId + " connected to " + brokerName
                + (sessionPresent ? ", session resumed" : ", new session"));
        if (!receiving) {
            receive();
        }
        // Also into a resumed session: Mosquitto 2.0 restores a session from its persistence file without its shared
        // subscriptions. Subscribing again replaces a subscription that exists, and (MQTT 5) sends no retained
        // messages for it again.
        subscribe();
    }

    private void subscribe() {
        MqttQos qos = MqttQos.fromCode(settings.qos());
        List<String> filters = settings.topics().stream()
                .map(f -> settings.sharedGroup() == null ? f : "$share/" + settings.sharedGroup() + '/' + f)
                .toList();
        Consumer<Throwable> failed = e -> {
            if (e != null && !closing) {
                // A lost connection is retried on the next connect; a refusal in the SUBACK is not.
                logger.warning("MQTT session " + clientId + " at " + brokerName + " could not subscribe to "
                        + filters + ": " + e);
            }
        };
        if (client5 != null) {
            Mqtt5Subscribe subscribe = Mqtt5Subscribe.builder().addSubscriptions(filters.stream().map(f ->
                    Mqtt5Subscription.builder().topicFilter(f).qos(qos)
                            .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).build())).build();
            client5.subscribe(subscribe).whenComplete((ack, e) -> failed.accept(e));
        } else {
            Mqtt3Subscribe subscribe = Mqtt3Subscribe.builder().addSubscriptions(filters.stream().map(f ->
                    Mqtt3Subscription.builder().topicFilter(f).qos(qos).build())).build();
            client3.subscribe(subscribe).whenComplete((ack, e) -> failed.accept(e));
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        if (closing || context.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        String refusal = refusal(context.getCause());
        if (refusal != null) {
            context.getReconnector().reconnect(false);
            counters.failed.set(1);
            logger.severe("MQTT source stopped for " + brokerName + " (client id " + clientId + "): " + refusal
                    + ". It does not reconnect; the job's other sources keep running. Fix the settings and restart "
                    + "the job.");
            return;
        }
        if (takenOver(context.getCause())) {
            // Another client took the session with this client id: the job restarted elsewhere (this member was
            // given up for lost), or a second job uses the same mqtt.client.id. Taking it back would make the two
            // fight over it.
            context.getReconnector().reconnect(false);
            logger.warning("MQTT session " + clientId + " at " + brokerName + " was taken over by another client "
                    + "with the same client id; this one stops");
            return;
        }
        MqttClientReconnector reconnector = context.getReconnector();
        int attempts = reconnector.getAttempts();
        long delay = backoffMillis(attempts);
        // A reconnect already scheduled when the job closes the session must not happen: the session may by then
        // belong to the job's next execution.
        reconnector.resubscribeIfSessionExpired(false).reconnectWhen(
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)),
                (ignored, e) -> reconnector.reconnect(!closing));
        logger.log(attempts == 0 ? Level.WARNING : Level.FINE, "MQTT session " + clientId + " lost " + brokerName
                + " (" + context.getCause() + "); reconnecting in " + delay + " ms, attempt " + (attempts + 1));
    }

    long backoffMillis(int attempts) {
        long initial = settings.reconnectInitialBackoff().toMillis();
        long max = settings.reconnectMaxBackoff().toMillis();
        return attempts >= 30 ? max : Math.min(max, initial << attempts);
    }

    private static boolean takenOver(Throwable cause) {
        return cause instanceof Mqtt5DisconnectException e
                && e.getMqttMessage().getReasonCode() == Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER;
    }

    /** Why the broker will keep refusing this client, or {@code null} when trying again may succeed. */
    static String refusal(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Mqtt5ConnAckException e
                    && REFUSALS_5.contains(e.getMqttMessage().getReasonCode())) {
                return "the broker refused the connection: " + e.getMqttMessage().getReasonCode()
                        + e.getMqttMessage().getReasonString().map(r -> " (" + r + ")").orElse("") + CREDENTIALS;
            }
            if (t instanceof Mqtt3ConnAckException e
                    && REFUSALS_3.contains(e.getMqttMessage().getReturnCode())) {
                return "the broker refused the connection: " + e.getMqttMessage().getReturnCode() + CREDENTIALS;
            }
            if (t instanceof SSLHandshakeException) {
                return "the TLS handshake failed: " + t.getMessage() + "; check " + MqttSourceSettings.TLS_CA.key()
                        + " (the CA that signed the broker's certificate) and " + MqttSourceSettings.TLS_CERT.key()
                        + '/' + MqttSourceSettings.TLS_KEY.key();
            }
        }
        return null;
    }

    /** Disconnects; the broker keeps the session (and what it holds) for the session expiry. */
    public void close() {
        closing = true;
        disconnect();
    }

    private void disconnect() {
        try {
            if (client5 != null) {
                client5.disconnect().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } else if (client3 != null) {
                client3.disconnect().get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Not connected (reconnecting, or refused): disconnect() fails, and there is nothing to close.
            logger.fine("MQTT session " + clientId + " closed while not connected: " + e);
        }
    }
}
