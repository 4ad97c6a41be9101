package io.iotgrid.demo;

import io.iotgrid.core.AlertRule;
import io.iotgrid.core.Durations;
import io.iotgrid.simulator.KafkaEncoding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of the {@link Demo}, validated when parsed.
 *
 * @param sensors   simulated sensors ({@code --sensors}, default 12)
 * @param places    places they are spread over ({@code --places}, default 3)
 * @param rate      readings per second per sensor ({@code --rate}, default 2)
 * @param window    tumbling window size ({@code --window}, default 1m)
 * @param refresh   how often the console table is printed ({@code --refresh}, default 5s)
 * @param duration  how long to run before stopping cleanly ({@code --duration}; default: until Ctrl-C)
 * @param alerts    threshold rules ({@code --alert temperature>28}, repeatable; default temperature>25)
 * @param port      first port of the Hazelcast member ({@code --port}, default 5701, where clients look)
 * @param source    where the readings come from ({@code --source}): {@link Source#COAP} (default), simulated CoAP
 *                  sensors observed by the CoAP flavour of the job, {@link Source#KAFKA}, an embedded Kafka
 *                  broker the simulated sensors write to, read by the Kafka flavour, or {@link Source#MQTT}, simulated
 *                  sensors publishing to an MQTT broker the job subscribes to
 * @param encoding  how the simulated sensors write readings to Kafka ({@code --kafka-encoding}, default json)
 * @param mqttBroker with {@code --source mqtt}, the {@code host:port} of a running MQTT 5 broker
 *                  ({@code --mqtt-broker}); {@code null} (the default) for an embedded one
 */
public record DemoOptions(int sensors, int places, double rate, Duration window, Duration refresh,
                          Duration duration, List<AlertRule> alerts, int port, Source source, KafkaEncoding encoding,
                          String mqttBroker) {

    /** Where the demo's readings come from. */
    public enum Source {
        /** Simulated CoAP sensors, observed by the job. */
        COAP,
        /** Simulated sensors writing to an embedded Kafka broker, read by the Kafka flavour of the job. */
        KAFKA,
        /** Simulated sensors publishing over MQTT, to an embedded broker or {@code --mqtt-broker}. */
        MQTT
    }

    static final String USAGE = """
            usage: java -jar demo/target/iot-grid-demo.jar [options]
              --sensors N        simulated sensors (default 12)
              --places N         places the sensors are spread over (default 3)
              --rate R           readings per second per sensor (default 2)
              --window D         tumbling window size, e.g. 30s, 1m (default 1m)
              --refresh D        console refresh period (default 5s)
              --duration D       stop cleanly after D, e.g. 90s, 5m (default: run until Ctrl-C)
              --alert RULE       alert rule such as temperature>28 or humidity<20, repeatable
                                 (default temperature>25)
              --port P           Hazelcast member port (default 5701)
              --source S         coap (default): simulated CoAP sensors observed by the job;
                                 kafka: an embedded Kafka broker (KRaft, own JVM) the simulated sensors
                                 write to, read by the Kafka flavour of the job, exactly once
                                 mqtt: the simulated sensors publish to plant/<place>/sensors/<sensor>
                                 on an MQTT broker (embedded Moquette unless --mqtt-broker), the job
                                 subscribes
              --kafka-encoding E how the sensors write to Kafka: json (default), connect-json,
                                 json-in-field, avro, confluent-avro
              --mqtt-broker H:P  with --source mqtt: a running MQTT 5 broker such as Mosquitto instead of
                                 the embedded one
            """;

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a message naming the bad option. */
    public static DemoOptions parse(String... args) {
        int sensors = 12;
        int places = 3;
        double rate = 2;
        Duration window = Duration.ofMinutes(1);
        Duration refresh = Duration.ofSeconds(5);
        Duration duration = null;
        List<AlertRule> alerts = new ArrayList<>();
        int port = 5701;
        Source source = Source.COAP;
        KafkaEncoding encoding = KafkaEncoding.JSON;
        String mqttBroker = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--sensors" -> sensors = parseInt(option, value);
                case "--places" -> places = parseInt(option, value);
                case "--rate" -> rate = parseDouble(option, value);
                case "--window" -> window = Durations.parse(option, value);
                case "--refresh" -> refresh = Durations.parse(option, value);
                case "--duration" -> duration = Durations.parse(option, value);
                case "--alert" -> alerts.add(AlertRule.parse(value));
                case "--port" -> port = parseInt(option, value);
                case "--source" -> source = switch (value) {
                    case "coap" -> Source.COAP;
                    case "kafka" -> Source.KAFKA;
                    case "mqtt" -> Source.MQTT;
                    default -> throw new IllegalArgumentException("--source must be coap, kafka or mqtt, was '" + value
                            + "'");
                };
                case "--kafka-encoding" -> {
                    try {
                        encoding = KafkaEncoding.of(value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--kafka-encoding: " + e.getMessage());
                    }
                }
                case "--mqtt-broker" -> mqttBroker = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (alerts.isEmpty()) {
            alerts.add(AlertRule.parse("temperature>25"));
        }
        return new DemoOptions(sensors, places, rate, window, refresh, duration, alerts, port, source, encoding,
                mqttBroker);
    }

    public DemoOptions {
        if (port < 1 || port > 65535 - 10) {
            throw new IllegalArgumentException("--port must be between 1 and 65525, was " + port);
        }
        alerts = List.copyOf(alerts);
        if (mqttBroker != null && source != Source.MQTT) {
            throw new IllegalArgumentException("--mqtt-broker needs --source mqtt");
        }
        if (mqttBroker != null && !mqttBroker.matches("[^:/\\s]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--mqtt-broker must be host:port, was '" + mqttBroker + "'");
        }
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }

    private static double parseDouble(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, was '" + value + "'");
        }
    }
}
