package io.iotgrid.demo;

import io.iotgrid.core.Durations;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.simulator.KafkaEncoding;
import io.iotgrid.simulator.KafkaSensorProducer;
import io.iotgrid.simulator.KafkaSimulationSettings;
import io.iotgrid.simulator.MqttSensorPublisher;
import io.iotgrid.simulator.MqttSimulationSettings;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The demo jar's {@code simulate} mode: the demo's simulated sensors alone, feeding a cluster the user started, over
 * CoAP (a server the job observes), Kafka (a topic the job reads) or MQTT (a broker the job subscribes to).
 * <p>
 * How to run, e.g. beside the Kafka job jar submitted to your cluster:
 * <pre>
 * java -jar demo/target/iot-grid-demo.jar simulate --to kafka --bootstrap 127.0.0.1:9092 --topic sensor-readings
 * </pre>
 * Expected output, every 5 seconds until Ctrl-C or {@code --duration}:
 * <pre>
 * iot-grid simulator: 12:00:05  sent 120 readings, 3 malformed, 0 failed
 * </pre>
 * then one line saying what was stopped. A bad option prints one line naming it and exits with status 2.
 */
final class Simulate {

    /** The first argument that selects this mode. */
    static final String MODE = "simulate";

    private Simulate() {
    }

    /** Parses {@code args} (after {@value #MODE}), runs until a signal or the duration, and exits as documented. */
    static void main(String[] args) throws InterruptedException {
        CommandLine line = new CommandLine(new Arguments()).setOverwrittenOptionsAllowed(true);
        Arguments options;
        try {
            line.parseArgs(args);
            options = line.getCommand();
            options.check();
        } catch (ParameterException | IllegalArgumentException e) {
            System.err.println("error: " + message(e) + " (simulate --help lists the options)");
            System.exit(2);
            return;
        }
        if (CommandLine.printHelpIfRequested(line.getParseResult())) {
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            // The JVM halts once the hooks return: let run() close the sensors and print its last line first.
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulator-stop"));
        try {
            run(options, System.out, stop);
        } catch (IllegalStateException e) {
            // The broker could not be reached: its message names it.
            System.err.println("error: " + e.getMessage());
            stopped.countDown();
            System.exit(1);
        } finally {
            stopped.countDown();
        }
    }

    private static String message(Exception e) {
        if (e instanceof ParameterException && e.getCause() instanceof IllegalArgumentException valueError) {
            return valueError.getMessage();
        }
        return e.getMessage();
    }

    static void run(Arguments options, PrintStream out, CountDownLatch stop) throws InterruptedException {
        SimulationSettings simulation = options.scenario.apply(SimulationSettings.builder()
                .set(SimulationSettings.SENSORS, options.sensors)
                .set(SimulationSettings.PLACES, options.places)
                .set(SimulationSettings.READINGS_PER_SECOND, options.rate)
                .set(SimulationSettings.HOST, options.coapHost)
                .set(SimulationSettings.PORT, options.coapPort).build());
        String what = String.format("%d sensors in %d places at %s readings/s each, scenario %s",
                simulation.sensors(), simulation.places(), options.rate, options.scenario.name().toLowerCase());
        boolean signalled;
        String target;
        long sent;
        long bad;
        switch (options.to) {
            case "kafka" -> {
                try (KafkaSensorProducer sensors = KafkaSensorProducer.start(KafkaSimulationSettings.builder()
                        .set(KafkaSimulationSettings.BOOTSTRAP_SERVERS, options.bootstrap)
                        .set(KafkaSimulationSettings.TOPIC, options.topic)
                        .set(KafkaSimulationSettings.ENCODING, options.encoding)
                        .set(KafkaSimulationSettings.SIMULATION, simulation).build())) {
                    target = String.format("Kafka topic '%s' at %s as %s", options.topic, options.bootstrap,
                            options.encoding.key());
                    out.printf("iot-grid simulator: %s, writing to %s%n", what, target);
                    signalled = report(options, out, stop, sensors::publishedCount, sensors::badPayloads,
                            sensors::failed);
                    sent = sensors.publishedCount();
                    bad = sensors.badPayloads();
                }
            }
            case "mqtt" -> {
                MqttSimulationSettings mqtt = MqttSimulationSettings.builder()
                        .set(MqttSimulationSettings.BROKER, options.broker)
                        .set(MqttSimulationSettings.TOPIC_TEMPLATE, options.topicTemplate)
                        .set(MqttSimulationSettings.SIMULATION, simulation).build();
                try (MqttSensorPublisher sensors = MqttSensorPublisher.start(mqtt)) {
                    target = String.format("MQTT broker %s, topics %s", options.broker, options.topicTemplate);
                    out.printf("iot-grid simulator: %s, publishing to %s%n", what, target);
                    signalled = report(options, out, stop, sensors::publishedCount, sensors::badPayloads,
                            sensors::failed);
                    sent = sensors.publishedCount();
                    bad = sensors.badPayloads();
                }
            }
            default -> {
                try (SensorSimulator sensors = SensorSimulator.start(simulation)) {
                    target = String.format("CoAP server %s:%d", simulation.host(), sensors.port());
                    out.printf("iot-grid simulator: %s, on the %s; observe them with%n  coap.uris=%s%n", what, target,
                            String.join(",", sensors.uris()));
                    signalled = report(options, out, stop, sensors::publishedCount, sensors::badPayloads,
                            () -> 0);
                    sent = sensors.publishedCount();
                    bad = sensors.badPayloads();
                }
            }
        }
        out.printf("iot-grid simulator: stopped %s: the sensors sent %d readings and %d malformed payloads to the %s; "
                        + "nothing was written to disk%n",
                signalled ? "on Ctrl-C (a signal)" : "after --duration " + Durations.format(options.duration),
                sent, bad, target);
        out.flush();
    }

    /** Prints the counts every {@code --refresh} until {@code stop} opens or the duration ends; tells which. */
    private static boolean report(Arguments options, PrintStream out, CountDownLatch stop, LongSupplier sent,
                                  LongSupplier bad, LongSupplier failed) throws InterruptedException {
        long deadline = options.duration == null ? Long.MAX_VALUE : System.nanoTime() + options.duration.toNanos();
        while (System.nanoTime() - deadline < 0) {
            long wait = Math.min(options.refresh.toNanos(), deadline - System.nanoTime());
            if (stop.await(Math.max(wait, 0), TimeUnit.NANOSECONDS)) {
                return true;
            }
            out.printf("iot-grid simulator: %tT  sent %d readings, %d malformed, %d failed%n",
                    System.currentTimeMillis(), sent.getAsLong(), bad.getAsLong(), failed.getAsLong());
            out.flush();
        }
        return false;
    }

    /** The options of {@code simulate}; each setter checks its value with the setting it feeds, naming the option. */
    @Command(name = "simulate", mixinStandardHelpOptions = true, version = "iot-grid-demo 0.1.0",
            sortOptions = false, customSynopsis = "java -jar demo/target/iot-grid-demo.jar simulate [options]",
            description = "The demo's simulated sensors alone, for a cluster you started: a CoAP server to observe, "
                    + "or readings written to Kafka or published over MQTT.")
    static final class Arguments {

        private String to;
        private int sensors;
        private int places;
        private double rate;
        private DemoOptions.Scenario scenario;
        private Duration duration;
        private Duration refresh;
        private String coapHost;
        private int coapPort;
        private String bootstrap;
        private String topic;
        private KafkaEncoding encoding;
        private String broker;
        private String topicTemplate;

        @Option(order = 1, names = "--to", paramLabel = "T", defaultValue = "coap",
                description = {"coap (default): a CoAP server with one observable resource per sensor;",
                        "kafka: write to --topic at --bootstrap;", "mqtt: publish to --broker"})
        void to(String value) {
            if (!value.equals("coap") && !value.equals("kafka") && !value.equals("mqtt")) {
                throw new IllegalArgumentException("--to must be coap, kafka or mqtt, was '" + value + "'");
            }
            to = value;
        }

        @Option(order = 2, names = "--sensors", paramLabel = "N", defaultValue = "12",
                description = "simulated sensors (default ${DEFAULT-VALUE})")
        void sensors(String value) {
            sensors = checked("--sensors", SimulationSettings.SENSORS, value);
        }

        @Option(order = 3, names = "--places", paramLabel = "N", defaultValue = "3",
                description = "places the sensors are spread over (default ${DEFAULT-VALUE})")
        void places(String value) {
            places = checked("--places", SimulationSettings.PLACES, value);
        }

        @Option(order = 4, names = "--rate", paramLabel = "R", defaultValue = "2",
                description = "readings per second per sensor (default ${DEFAULT-VALUE})")
        void rate(String value) {
            rate = checked("--rate", SimulationSettings.READINGS_PER_SECOND, value);
        }

        @Option(order = 5, names = "--scenario", paramLabel = "S", defaultValue = "realistic",
                description = "realistic (default): some malformed payloads, s-1 runs hot, the last sensor goes "
                        + "quiet; plain: every sensor well-behaved")
        void scenario(String value) {
            scenario = switch (value) {
                case "realistic" -> DemoOptions.Scenario.REALISTIC;
                case "plain" -> DemoOptions.Scenario.PLAIN;
                default -> throw new IllegalArgumentException("--scenario must be realistic or plain, was '" + value
                        + "'");
            };
        }

        @Option(order = 6, names = "--duration", paramLabel = "D",
                description = "stop after D, e.g. 90s, 5m (default: run until Ctrl-C)")
        void duration(String value) {
            duration = Durations.parse("--duration", value);
        }

        @Option(order = 7, names = "--refresh", paramLabel = "D", defaultValue = "5s",
                description = "how often the counts are printed (default ${DEFAULT-VALUE})")
        void refresh(String value) {
            refresh = Durations.parse("--refresh", value);
        }

        @Option(order = 8, names = "--coap-host", paramLabel = "H", defaultValue = "127.0.0.1",
                description = "with --to coap: address the CoAP server binds to (default ${DEFAULT-VALUE}; 0.0.0.0 "
                        + "for members on other machines)")
        void coapHost(String value) {
            coapHost = checked("--coap-host", SimulationSettings.HOST, value);
        }

        @Option(order = 9, names = "--coap-port", paramLabel = "P", defaultValue = "5683",
                description = "with --to coap: UDP port of the CoAP server (default ${DEFAULT-VALUE})")
        void coapPort(String value) {
            coapPort = checked("--coap-port", SimulationSettings.PORT, value);
        }

        @Option(order = 10, names = "--bootstrap", paramLabel = "H:P",
                description = "with --to kafka: the Kafka brokers, e.g. 127.0.0.1:9092")
        void bootstrap(String value) {
            bootstrap = checked("--bootstrap", KafkaSimulationSettings.BOOTSTRAP_SERVERS, value);
        }

        @Option(order = 11, names = "--topic", paramLabel = "T", defaultValue = "sensor-readings",
                description = "with --to kafka: the topic (default ${DEFAULT-VALUE}); records are keyed by sensor id")
        void topic(String value) {
            topic = checked("--topic", KafkaSimulationSettings.TOPIC, value);
        }

        @Option(order = 12, names = "--kafka-encoding", paramLabel = "E", defaultValue = "json",
                description = "with --to kafka: json (default), connect-json, json-in-field, avro, confluent-avro")
        void encoding(String value) {
            encoding = checked("--kafka-encoding", KafkaSimulationSettings.ENCODING, value);
        }

        @Option(order = 13, names = "--broker", paramLabel = "URI", defaultValue = "mqtt://127.0.0.1:1883",
                description = "with --to mqtt: the MQTT 5 broker (default ${DEFAULT-VALUE})")
        void broker(String value) {
            broker = checked("--broker", MqttSimulationSettings.BROKER, value);
        }

        @Option(order = 14, names = "--topic-template", paramLabel = "T",
                defaultValue = "plant/{placeId}/sensors/{sensorId}",
                description = "with --to mqtt: each sensor's topic (default ${DEFAULT-VALUE})")
        void topicTemplate(String value) {
            topicTemplate = checked("--topic-template", MqttSimulationSettings.TOPIC_TEMPLATE, value);
        }

        /** What relates options: the target's own options need that target. */
        void check() {
            if (to.equals("kafka") && bootstrap == null) {
                throw new IllegalArgumentException("--to kafka needs --bootstrap HOST:PORT");
            }
            if (!to.equals("kafka") && bootstrap != null) {
                throw new IllegalArgumentException("--bootstrap needs --to kafka");
            }
            if (refresh.isZero() || refresh.isNegative()) {
                throw new IllegalArgumentException("--refresh must be positive, was " + Durations.format(refresh));
            }
            if (duration != null && (duration.isZero() || duration.isNegative())) {
                throw new IllegalArgumentException("--duration must be positive, was " + Durations.format(duration));
            }
        }

        /** {@code value} parsed and checked by {@code setting}, its message prefixed with {@code option}. */
        private static <T> T checked(String option, Setting<T> setting, String value) {
            try {
                return setting.check(setting.parse(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
    }
}
