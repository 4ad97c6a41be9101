package io.iotgrid.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.iotgrid.core.DaemonThreads;
import io.iotgrid.core.Durations;
import io.iotgrid.core.GridConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * {@code avg_temperature  21.40}. Exit status 0, 1 when the key has no window or the cluster fails a request, 2
 * for bad options, 3 when no member answered within {@code --connect-timeout} (10 s by default).
 */
@Command(name = "iot-grid-client", mixinStandardHelpOptions = true, version = "iot-grid-client 0.1.0",
        // Every subcommand gets --help, --version and the exit status list.
        scope = ScopeType.INHERIT,
        description = "Reads iot-grid's grid structures: latest stats, readings, alerts, dead letters, late "
                + "readings, sensor liveness, SQL.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {
                "0:done (a follower also when stopped by --count or --duration; Ctrl-C gives 130)",
                "1:nothing found for the key (or sensor), or the cluster failed the request",
                "2:bad command line (the message names the option)",
                "3:no member of the cluster answered within --connect-timeout"},
        subcommands = {StatsCommand.Sensor.class, StatsCommand.Place.class, HistoryCommand.class,
                ReadingsCommand.class, AlertsCommand.class, DeadLettersCommand.class, LateCommand.class,
                StatusCommand.class, SqlCommand.class})
public final class GridCli {

    /** Exit status when no member answered within the connect timeout. */
    static final int UNREACHABLE = 3;

    @Spec
    CommandSpec spec;

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

    // A command line answers quickly or says why: the configuration's 2 minutes suit a job, not a person waiting.
    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "10s",
            description = "How long to keep trying to reach the cluster before giving up (500ms, 30s, 2m), "
                    + "replacing the configuration's; default: ${DEFAULT-VALUE}")
    Duration connectTimeout;

    public static void main(String[] args) {
        // The client's INFO logging would bury the answer; errors still reach the user as exceptions.
        System.setProperty("hazelcast.logging.type", "none");
        System.exit(commandLine().execute(args));
    }

    /** The command line with its subcommands and error handling; tests run it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GridCli());
        cl.setParameterExceptionHandler((e, args) -> {
            // One line, not the whole usage: the option and what is wrong with it, and where to read more.
            CommandLine line = e.getCommandLine();
            line.getErr().println("error: " + e.getMessage() + " (see '" + line.getCommandSpec().qualifiedName()
                    + " --help')");
            return line.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + e.getMessage());
            return e instanceof Unreachable ? UNREACHABLE : 1;
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
            } catch (IOException | RuntimeException e) {
                // A missing file or one Hazelcast cannot parse is a bad --config value, not a cluster failure.
                throw new ParameterException(spec.commandLine(), "--config: cannot read client configuration "
                        + config + ": " + e.getMessage());
            }
        }
        if (addresses != null && !addresses.isEmpty()) {
            cc.getNetworkConfig().setAddresses(addresses);
        }
        if (clusterName != null) {
            cc.setClusterName(clusterName);
        }
        cc.getConnectionStrategyConfig().getConnectionRetryConfig()
          .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
        // One attempt at an address that drops packets must not outlast the whole timeout.
        int attempt = (int) Math.min(cc.getNetworkConfig().getConnectionTimeout(), connectTimeout.toMillis());
        cc.getNetworkConfig().setConnectionTimeout(attempt);
        return cc;
    }

    /**
     * A client of the cluster the options describe; {@link Unreachable} naming the cluster and the addresses
     * when no member answered within the connect timeout.
     */
    HazelcastInstance connect() throws InterruptedException {
        ClientConfig cc = clientConfig();
        // The client's own timeout ends its retries, but not one attempt at an address that accepts the connection
        // and never answers (a port-forward without a backend): that waits for the heartbeat timeout, 60 s. So the
        // command waits on its own deadline, and a client that connects after it is shut down unused.
        CompletableFuture<HazelcastInstance> connecting = CompletableFuture.supplyAsync(
                () -> HazelcastClient.newHazelcastClient(cc), DaemonThreads.threadPerTask("iot-grid-client-connect"));
        try {
            return connecting.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            connecting.thenAccept(HazelcastInstance::shutdown);
            throw unreachable(cc, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException) {
                // What the client throws when its cluster connect timeout passes without a member to talk to.
                throw unreachable(cc, e.getCause());
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private Unreachable unreachable(ClientConfig cc, Throwable cause) {
        List<String> tried = cc.getNetworkConfig().getAddresses();
        return new Unreachable("no member of cluster '" + cc.getClusterName() + "' answered at "
                + (tried.isEmpty() ? "the configuration's discovery" : String.join(", ", tried)) + " within "
                + Durations.format(connectTimeout) + " (--connect-timeout); is it running, with that name?", cause);
    }

    /** The cluster could not be reached; the message says which cluster and where. */
    static final class Unreachable extends RuntimeException {

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
