package io.iotgrid.demo;

import io.iotgrid.core.AlertRule;
import io.iotgrid.core.Durations;
import io.iotgrid.simulator.KafkaEncoding;
import io.iotgrid.simulator.SimulationSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

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
 * @param scenario  how the simulated sensors behave ({@code --scenario}): {@link Scenario#REALISTIC} (default), with
 *                  faults, or {@link Scenario#PLAIN}, without
 * @param postgres  the JDBC URL of a PostgreSQL database the window history is kept in ({@code --postgres}, e.g.
 *                  {@code jdbc:postgresql://127.0.0.1:5432/iotgrid?user=iot&password=secret}); {@code null} (the
 *                  default) keeps history in memory only
 * @param consolePort the web console's port on 127.0.0.1 ({@code --console-port}, default 8083, Kafka Connect's);
 *                  0 for any free port
 */
public record DemoOptions(int sensors, int places, double rate, Duration window, Duration refresh,
                          Duration duration, List<AlertRule> alerts, int port, Source source, KafkaEncoding encoding,
                          String mqttBroker, Scenario scenario, String postgres, int consolePort) {

    /** How the simulated sensors behave. */
    public enum Scenario {
        /**
         * What a plant has: {@value #BAD_PAYLOAD_PERCENT} % of readings malformed (dead letters with their reasons),
         * sensor {@code s-1} running hot (alerts under the default rule temperature>25) and the last sensor going
         * quiet after {@value #QUIET_AFTER_SECONDS} s.
         */
        REALISTIC,
        /** Every sensor well-behaved: no dead letter, and alerts only where the random walks cross a rule. */
        PLAIN;

        static final int BAD_PAYLOAD_PERCENT = 2;
        static final int QUIET_AFTER_SECONDS = 30;

        /** {@code simulation} with this scenario's faults. */
        SimulationSettings apply(SimulationSettings simulation) {
            if (this == PLAIN) {
                return simulation;
            }
            return simulation.toBuilder()
                    .set(SimulationSettings.BAD_PAYLOAD_SHARE, BAD_PAYLOAD_PERCENT / 100.0)
                    .set(SimulationSettings.HOT_SENSORS, 1)
                    .set(SimulationSettings.QUIET_SENSORS, 1)
                    .set(SimulationSettings.QUIET_AFTER, Duration.ofSeconds(QUIET_AFTER_SECONDS)).build();
        }
    }

    /** Where the demo's readings come from. */
    public enum Source {
        /** Simulated CoAP sensors, observed by the job. */
        COAP,
        /** Simulated sensors writing to an embedded Kafka broker, read by the Kafka flavour of the job. */
        KAFKA,
        /** Simulated sensors publishing over MQTT, to an embedded broker or {@code --mqtt-broker}. */
        MQTT
    }

    public DemoOptions {
        // The simulator's settings own the bounds of what they simulate; checked here so a bad option ends the
        // parsing with its name instead of failing the demo once it has started.
        check("--sensors", () -> SimulationSettings.SENSORS.check(sensors));
        check("--places", () -> SimulationSettings.PLACES.check(places));
        check("--rate", () -> SimulationSettings.READINGS_PER_SECOND.check(rate));
        requirePositive("--window", window);
        requirePositive("--refresh", refresh);
        if (duration != null) {
            requirePositive("--duration", duration);
        }
        if (consolePort < 0 || consolePort > 65535) {
            throw new IllegalArgumentException("--console-port must be between 0 and 65535, was " + consolePort);
        }
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
        if (postgres != null && !postgres.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--postgres must be a JDBC URL jdbc:postgresql://host:port/database, "
                    + "was '" + postgres + "'");
        }
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a message naming the bad option. */
    public static DemoOptions parse(String... args) {
        return parse(commandLine(), args);
    }

    /** The demo's command line, whose usage {@code --help} prints; {@link #parse(CommandLine, String...)} reads it. */
    static CommandLine commandLine() {
        // As before picocli: an option given again replaces the earlier value (--alert adds a rule).
        return new CommandLine(new Arguments()).setOverwrittenOptionsAllowed(true);
    }

    /**
     * Parses {@code args} with {@code line}, from {@link #commandLine()}, which then tells whether {@code --help}
     * was given ({@link CommandLine#printHelpIfRequested}); throws {@link IllegalArgumentException} with a message
     * naming the bad option.
     */
    static DemoOptions parse(CommandLine line, String... args) {
        try {
            line.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(message(e), e);
        }
        return line.<Arguments>getCommand().options();
    }

    /** What picocli found wrong, in the words of the option it concerns. */
    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) {
            return "unknown option " + unmatched.getUnmatched().get(0);
        }
        if (e instanceof MissingParameterException missing
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            return option.longestName() + " needs a value";
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException valueError) {
                return valueError.getMessage();
            }
        }
        return e.getMessage();
    }

    /**
     * The options as picocli reads them; each setter converts its value, naming the option when it cannot. Setters
     * come in no defined order, hence {@code order} for the usage.
     */
    @Command(name = "iot-grid-demo", mixinStandardHelpOptions = true, version = "iot-grid-demo 0.1.0",
            sortOptions = false, customSynopsis = "java -jar demo/target/iot-grid-demo.jar [options]",
            description = "One Hazelcast member, simulated sensors, the aggregation job and a live console table of "
                    + "the per-place aggregates.",
            footer = {"", "The simulated sensors alone, for a cluster you started: "
                    + "java -jar demo/target/iot-grid-demo.jar simulate --help"})
    static final class Arguments {

        private int sensors;
        private int places;
        private double rate;
        private Duration window;
        private Duration refresh;
        private Duration duration;
        private final List<AlertRule> alerts = new ArrayList<>();
        private int port;
        private Source source;
        private KafkaEncoding encoding;
        private String mqttBroker;
        private Scenario scenario;
        private String postgres;
        private int consolePort;

        @Option(order = 1, names = "--sensors", paramLabel = "N", defaultValue = "12",
                description = "simulated sensors (default ${DEFAULT-VALUE})")
        void sensors(String value) {
            sensors = wholeNumber("--sensors", value);
        }

        @Option(order = 2, names = "--places", paramLabel = "N", defaultValue = "3",
                description = "places the sensors are spread over (default ${DEFAULT-VALUE})")
        void places(String value) {
            places = wholeNumber("--places", value);
        }

        @Option(order = 3, names = "--rate", paramLabel = "R", defaultValue = "2",
                description = "readings per second per sensor (default ${DEFAULT-VALUE})")
        void rate(String value) {
            try {
                rate = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rate must be a number, was '" + value + "'");
            }
        }

        @Option(order = 4, names = "--window", paramLabel = "D", defaultValue = "1m",
                description = "tumbling window size, e.g. 30s, 1m (default ${DEFAULT-VALUE})")
        void window(String value) {
            window = Durations.parse("--window", value);
        }

        @Option(order = 5, names = "--refresh", paramLabel = "D", defaultValue = "5s",
                description = "console refresh period (default ${DEFAULT-VALUE})")
        void refresh(String value) {
            refresh = Durations.parse("--refresh", value);
        }

        @Option(order = 6, names = "--duration", paramLabel = "D",
                description = "stop cleanly after D, e.g. 90s, 5m (default: run until Ctrl-C)")
        void duration(String value) {
            duration = Durations.parse("--duration", value);
        }

        @Option(order = 7, names = "--alert", paramLabel = "RULE",
                description = "alert rule such as temperature>28 or humidity<20, repeatable (default temperature>25)")
        void alert(String value) {
            alerts.add(AlertRule.parse(value));
        }

        @Option(order = 8, names = "--port", paramLabel = "P", defaultValue = "5701",
                description = "Hazelcast member port (default ${DEFAULT-VALUE})")
        void port(String value) {
            port = wholeNumber("--port", value);
        }

        @Option(order = 9, names = "--source", paramLabel = "S", defaultValue = "coap",
                description = {"coap (default): simulated CoAP sensors observed by the job;",
                        "kafka: an embedded Kafka broker (KRaft, own JVM) the simulated sensors write to, read by "
                                + "the Kafka flavour of the job, exactly once;",
                        "mqtt: the simulated sensors publish to plant/<place>/sensors/<sensor> on an MQTT broker "
                                + "(embedded Moquette unless --mqtt-broker), the job subscribes"})
        void source(String value) {
            source = switch (value) {
                case "coap" -> Source.COAP;
                case "kafka" -> Source.KAFKA;
                case "mqtt" -> Source.MQTT;
                default -> throw new IllegalArgumentException("--source must be coap, kafka or mqtt, was '" + value
                        + "'");
            };
        }

        @Option(order = 10, names = "--kafka-encoding", paramLabel = "E", defaultValue = "json",
                description = "how the sensors write to Kafka: json (default), connect-json, json-in-field, avro, "
                        + "confluent-avro")
        void encoding(String value) {
            try {
                encoding = KafkaEncoding.of(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--kafka-encoding: " + e.getMessage());
            }
        }

        @Option(order = 11, names = "--mqtt-broker", paramLabel = "H:P",
                description = "with --source mqtt: a running MQTT 5 broker such as Mosquitto instead of the embedded "
                        + "one")
        void mqttBroker(String value) {
            mqttBroker = value;
        }

        @Option(order = 12, names = "--scenario", paramLabel = "S", defaultValue = "realistic",
                description = {"realistic (default): " + Scenario.BAD_PAYLOAD_PERCENT + " %% of readings malformed "
                        + "(dead letters), s-1 runs hot (alerts), the last sensor goes quiet after "
                        + Scenario.QUIET_AFTER_SECONDS + "s;", "plain: every sensor well-behaved"})
        void scenario(String value) {
            scenario = switch (value) {
                case "realistic" -> Scenario.REALISTIC;
                case "plain" -> Scenario.PLAIN;
                default -> throw new IllegalArgumentException("--scenario must be realistic or plain, was '" + value
                        + "'");
            };
        }

        @Option(order = 13, names = "--postgres", paramLabel = "URL",
                description = "keep the window history in PostgreSQL too, e.g. jdbc:postgresql://127.0.0.1:5432/"
                        + "iotgrid?user=iot&password=secret (default: in memory only)")
        void postgres(String value) {
            postgres = value;
        }

        @Option(order = 14, names = "--console-port", paramLabel = "P", defaultValue = "8083",
                description = "port of the web console on 127.0.0.1 (default ${DEFAULT-VALUE}; 0: any free port; "
                        + "when the default is taken, another free one)")
        void consolePort(String value) {
            consolePort = wholeNumber("--console-port", value);
        }

        DemoOptions options() {
            List<AlertRule> rules = alerts.isEmpty() ? List.of(AlertRule.parse("temperature>25")) : alerts;
            return new DemoOptions(sensors, places, rate, window, refresh, duration, rules, port, source, encoding,
                    mqttBroker, scenario, postgres, consolePort);
        }

        private static int wholeNumber(String option, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
            }
        }
    }

    private static void check(String option, Supplier<?> settings) {
        try {
            settings.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static void requirePositive(String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }
}
