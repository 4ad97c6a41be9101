package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What every command shares: the connection options of {@link GridCli}, the output options, the command line's
 * writers, and one client for the run, shut down when it ends, also on Ctrl-C or SIGTERM.
 */
abstract class ClientCommand implements Callable<Integer> {

    /** How long a Ctrl-C waits for the command to end and the client to leave before the JVM exits anyway. */
    private static final long STOP_WAIT_SECONDS = 10;

    @ParentCommand
    GridCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object per line (row, reading, alert or dead letter) "
            + "with SQL's column names, times as epoch milliseconds and measures unrounded")
    boolean json;

    @Option(names = "--zone", paramLabel = "ZONE", converter = ZoneConverter.class,
            description = "Time zone of the printed times (e.g. UTC, Europe/Berlin); default: the system's "
                    + "(${DEFAULT-VALUE})")
    ZoneId zone = ZoneId.systemDefault();

    /**
     * Counted down when the command should end early: by Ctrl-C or SIGTERM, or by a follower itself (alerts at
     * their {@code --count}). A follower waits on it instead of being interrupted, so it ends between two reads and
     * closes its client with no response in flight.
     */
    final CountDownLatch end = new CountDownLatch(1);

    /** Checks what picocli's types cannot, before connecting; throws {@link #badOption}. */
    void validate() {
    }

    /** The command's work; returns the exit status. A follower ends, as after its duration, once {@link #end}. */
    abstract int run(HazelcastInstance client, PrintWriter out) throws Exception;

    @Override
    public Integer call() throws Exception {
        validate();
        HazelcastInstance client = cli.connect();
        // On Ctrl-C a follower ends its wait and the client leaves the cluster in order (closing its connections
        // itself), instead of the JVM dropping them mid-read; the hook waits for that before the JVM exits.
        CountDownLatch finished = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            end.countDown();
            try {
                finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "iot-grid-client-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return run(client, spec.commandLine().getOut());
        } finally {
            client.shutdown();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shutdownInProgress) {
                // The hook is running: it is what ended the command, and it returns now that the client is gone.
            }
        }
    }

    /** A bad option: one line naming it, exit status 2. */
    ParameterException badOption(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** How values are printed, for {@link #json} off. */
    Output output() {
        return new Output(zone);
    }

    /**
     * Prints the first row of {@code result} as {@code column value} lines, or as one JSON object with {@link #json};
     * {@code false} when it has none.
     */
    boolean printFirstRow(SqlResult result, PrintWriter out) {
        for (SqlRow row : result) {
            List<String> columns = Table.columns(row.getMetadata());
            if (json) {
                out.println(Output.json(columns, Table.values(row)));
                out.flush();
            } else {
                Table.printRecord(out, output(), columns, Table.values(row));
            }
            return true;
        }
        return false;
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * The newest {@code limit} entries of {@code map} by its {@code received_at} column, newest first. SQL picks
     * them on the members, so only keys and times cross the network (a dead letter holds up to 1 KiB of raw bytes,
     * and the map up to 100 000 of them per member), then one {@code getAll} reads those entries; one that expired
     * in between is left out. {@code mapping} is the map's {@code CREATE OR REPLACE MAPPING}, run first because a
     * map written by a job of an older version, or only by the KCQL job, may have none yet.
     */
    static <V> List<Map.Entry<String, V>> newest(HazelcastInstance client, String map, String mapping, int limit) {
        client.getSql().execute(mapping).close();
        List<String> keys = new ArrayList<>(limit);
        // `__key` breaks ties between entries received in the same millisecond, so the listing is stable.
        try (SqlResult result = client.getSql().execute("SELECT __key FROM \"" + map
                + "\" ORDER BY received_at DESC, __key LIMIT " + limit)) {
            for (SqlRow row : result) {
                keys.add(row.getObject(0));
            }
        }
        Map<String, V> values = client.<String, V>getMap(map).getAll(new HashSet<>(keys));
        List<Map.Entry<String, V>> newest = new ArrayList<>(keys.size());
        for (String key : keys) {
            V value = values.get(key);
            if (value != null) {
                newest.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
            }
        }
        return newest;
    }

    /**
     * The heading of a listing of the newest {@code shown} of the {@code size} entries of {@code map}, e.g.
     * {@code 10 dead letters in dead_letters, newest 2:}, {@code 1 late reading in late_readings:} or
     * {@code 0 dead letters in dead_letters}.
     */
    static String listingHeading(int size, int shown, String one, String many, String map) {
        return size + " " + (size == 1 ? one : many) + " in " + map
                + (shown < size ? ", newest " + shown + ':' : shown == 0 ? "" : ":");
    }
}
