package io.iotgrid.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.iotgrid.core.GridConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code iot-grid-client}: reads what the jobs write, from a shell.
 * <p>
 * How to run (from the repository root, with a cluster running, e.g. the demo):
 * <pre>
 * mvn -q -B -DskipTests -pl client -am package
 * java -jar client/target/iot-grid-client.jar place p-1
 * java -jar client/target/iot-grid-client.jar sql \
 *     "SELECT id, avg_temperature FROM place_stats WHERE avg_temperature &gt; 25"
 * </pre>
 * Expected output of {@code place p-1}: one line per column of the place's latest window, e.g.
 * {@code avg_temperature  21.4}. Exit status 0, 1 when the key or structure is empty or the cluster fails, 2
 * for bad options.
 */
@Command(name = "iot-grid-client", mixinStandardHelpOptions = true, version = "iot-grid-client 0.1.0",
        description = "Reads iot-grid's grid structures: latest stats, readings, alerts, dead letters, SQL.",
        subcommands = {StatsCommand.Sensor.class, StatsCommand.Place.class, ReadingsCommand.class,
                AlertsCommand.class, DeadLettersCommand.class, SqlCommand.class})
public final class GridCli {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Client YAML or XML configuration; default: cluster-config/iot-grid-client.yaml "
                    + "(cluster iot-grid at 127.0.0.1:5701)")
    Path config;

    @Option(names = {"-a", "--address"}, paramLabel = "HOST:PORT", split = ",",
            description = "Member addresses, replacing the configuration's (repeatable or comma-separated)")
    List<String> addresses;

    @Option(names = {"-c", "--cluster-name"}, paramLabel = "NAME",
            description = "Cluster name, replacing the configuration's")
    String clusterName;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to keep trying to reach the cluster (500ms, 30s, 2m); default: the "
                    + "configuration's (2 minutes in iot-grid-client.yaml)")
    Duration connectTimeout;

    public static void main(String[] args) {
        // The client's INFO logging would bury the answer; errors still reach the user as exceptions.
        System.setProperty("hazelcast.logging.type", "none");
        System.exit(commandLine().execute(args));
    }

    /** The command line with its subcommands and error handling; tests run it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GridCli());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cl;
    }

    /** The client configuration the options describe. */
    ClientConfig clientConfig() {
        ClientConfig cc;
        if (config == null) {
            cc = GridConfigs.client();
        } else {
            try {
                String name = config.getFileName().toString();
                cc = name.endsWith(".xml") ? new XmlClientConfigBuilder(config.toString()).build()
                        : new YamlClientConfigBuilder(config.toString()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read client configuration " + config, e);
            }
        }
        if (addresses != null && !addresses.isEmpty()) {
            cc.getNetworkConfig().setAddresses(addresses);
        }
        if (clusterName != null) {
            cc.setClusterName(clusterName);
        }
        if (connectTimeout != null) {
            cc.getConnectionStrategyConfig().getConnectionRetryConfig()
              .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
        }
        return cc;
    }

    HazelcastInstance connect() {
        return HazelcastClient.newHazelcastClient(clientConfig());
    }
}
