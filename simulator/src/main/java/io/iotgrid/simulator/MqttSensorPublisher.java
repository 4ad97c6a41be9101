package io.iotgrid.simulator;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.iotgrid.core.DaemonThreads;
import io.iotgrid.core.SensorReading;

import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Simulated sensors that publish their readings over MQTT, each to its own topic
 * ({@code plant/p-1/sensors/s-1} by default): the same random walks, sensor ids ({@code s-1}...), places
 * ({@code p-1}...) and rate as {@link SensorSimulator}, as nested JSON with a sequence number (and the MQTT 5 content
 * type {@code application/json}, or over MQTT 3.1.1 for brokers without MQTT 5). Readings are stamped with the wall clock when made.
 * <pre>{@code
 * try (MqttSensorPublisher sensors = MqttSensorPublisher.start(MqttSimulationSettings.of("mqtt://127.0.0.1:1883"))) {
 *     ...
 * }
 * }</pre>
 * One connection (HiveMQ client) that reconnects by itself; publishes made while it is away wait in the
 * client and go out when it is back. With QoS 1 or 2, a reading is in {@link #published()} once the broker
 * acknowledged it; with QoS 0 once it was written to the connection. A publish that fails is counted in
 * {@link #failed()}. Thread-safe.
 */
public final class MqttSensorPublisher extends PublishingSimulator {

    private static final long CONNECT_TIMEOUT_SECONDS = 30;

    private final MqttSimulationSettings settings;
    /** The one connection, MQTT 5 or 3.1.1: how it connects, publishes and disconnects. */
    private final Connection client;
    private final MqttQos qos;

    private MqttSensorPublisher(MqttSimulationSettings settings) {
        super(settings.simulation(), "mqtt-sensor-publisher");
        this.settings = settings;
        this.qos = MqttQos.fromCode(settings.qos());
        client = settings.mqtt5() ? new Mqtt5Connection(settings) : new Mqtt3Connection(settings);
    }

    /**
     * Connects and starts publishing; {@link #close()} stops.
     *
     * @throws IllegalStateException when the broker does not accept the connection within 30 s, naming the broker
     */
    public static MqttSensorPublisher start(MqttSimulationSettings settings) {
        MqttSensorPublisher p = new MqttSensorPublisher(settings);
        try {
            // A session that outlives short drops, so that publishes queued meanwhile are sent after the reconnect.
            p.client.connect().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.client.disconnect();
            throw new IllegalStateException("interrupted while connecting to " + settings.broker(), e);
        } catch (ExecutionException | TimeoutException e) {
            p.client.disconnect();
            throw new IllegalStateException("cannot connect to the MQTT broker " + settings.broker() + ": "
                    + (e instanceof ExecutionException ? e.getCause() : "no CONNACK within "
                    + CONNECT_TIMEOUT_SECONDS + " s"), e);
        }
        p.startSensors();
        return p;
    }

    @Override
    void send(SensorWalk sensor, SensorReading reading, boolean bad) {
        client.publish(settings.topic(sensor.sensorId(), sensor.placeId()), qos,
                      bad ? SensorWalk.badJson(reading, sensor.nextSeq()) : SensorWalk.json(reading, sensor.nextSeq()))
              .whenComplete((result, error) -> published.record(reading, bad, error));
    }

    /** Disconnects, waiting at most 10 s for the broker to take the DISCONNECT. */
    @Override
    void closeTransport() {
        try {
            client.disconnect().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Already disconnected, or the broker is gone: nothing is left to close.
        }
    }

    private interface Connection {
        CompletableFuture<?> connect();

        CompletableFuture<?> publish(String topic, MqttQos qos, byte[] payload);

        CompletableFuture<?> disconnect();
    }

    private static final class Mqtt5Connection implements Connection {
        private final Mqtt5AsyncClient client;

        Mqtt5Connection(MqttSimulationSettings settings) {
            client = MqttClient.builder().useMqttVersion5()
                    .identifier("iot-grid-simulator-" + UUID.randomUUID())
                    .executorConfig().nettyExecutor(DaemonThreads.MQTT_NETTY)
                    .nettyThreads(DaemonThreads.MQTT_NETTY_THREADS).applyExecutorConfig()
                    .serverAddress(InetSocketAddress.createUnresolved(settings.host(), settings.port()))
                    .automaticReconnectWithDefaultConfig()
                    .buildAsync();
        }

        @Override
        public CompletableFuture<?> connect() {
            // A session that outlives short drops, so that publishes queued meanwhile are sent after the reconnect.
            return client.connectWith().sessionExpiryInterval(60).send();
        }

        @Override
        public CompletableFuture<?> publish(String topic, MqttQos qos, byte[] payload) {
            return client.publishWith().topic(topic).qos(qos).payload(payload).contentType("application/json").send();
        }

        @Override
        public CompletableFuture<?> disconnect() {
            return client.disconnect();
        }
    }

    private static final class Mqtt3Connection implements Connection {
        private final Mqtt3AsyncClient client;

        Mqtt3Connection(MqttSimulationSettings settings) {
            client = MqttClient.builder().useMqttVersion3()
                    .identifier("iot-grid-simulator-" + UUID.randomUUID())
                    .executorConfig().nettyExecutor(DaemonThreads.MQTT_NETTY)
                    .nettyThreads(DaemonThreads.MQTT_NETTY_THREADS).applyExecutorConfig()
                    .serverAddress(InetSocketAddress.createUnresolved(settings.host(), settings.port()))
                    .automaticReconnectWithDefaultConfig()
                    .buildAsync();
        }

        @Override
        public CompletableFuture<?> connect() {
            // Clean Session off, so that publishes queued during a short drop are sent after the reconnect.
            return client.connectWith().cleanSession(false).send();
        }

        @Override
        public CompletableFuture<?> publish(String topic, MqttQos qos, byte[] payload) {
            return client.publishWith().topic(topic).qos(qos).payload(payload).send();
        }

        @Override
        public CompletableFuture<?> disconnect() {
            return client.disconnect();
        }
    }
}
